using Experiments.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Training.Optimizers;

/// <summary>
/// An optimizer over a model's <see cref="FlatParameters"/>: a step is a few native calls on the flat buffers, whatever
/// the number of layers. Every Scalar is held for the optimizer's lifetime or disposed right after its call: TorchSharp
/// 0.107 frees a temporary Scalar (an implicit double → Scalar conversion, a default alpha) in its finalizer, which a
/// garbage collection started by another thread can run while the native call still reads it.
/// </summary>
public abstract class StepOptimizer : IDisposable
{
    readonly FlatParameters flat;
    readonly Scalar? maxNorm;
    static readonly Scalar ClipEpsilon = 1e-6.ToScalar(); // libtorch's clip_grad_norm_ adds it to the norm

    /// <param name="clipNorm">When set, the gradients are scaled before each step so that their global norm is at most this.</param>
    protected StepOptimizer(FlatParameters flat, double? clipNorm)
    {
        this.flat = flat;
        maxNorm = clipNorm?.ToScalar();
    }

    /// <summary>Zeroes every gradient in place (backward then accumulates into them).</summary>
    public void ZeroGrad() => flat.ZeroGradients();

    /// <summary>Clips the gradients if asked, then updates every parameter from its gradient.</summary>
    public void Step()
    {
        using var _ = no_grad();
        if (maxNorm is not null)
        {
            // As libtorch's clip_grad_norm_: g ← g · min(1, max / (‖g‖ + 1e-6)), ‖g‖ over every gradient at once.
            using var norm = flat.Gradients.norm();
            using var scale = norm.add_(ClipEpsilon, Scalars.One).reciprocal_().mul_(maxNorm).clamp_max_(Scalars.One);
            flat.Gradients.mul_(scale);
        }
        StepCore(flat.Values, flat.Gradients);
    }

    /// <summary>One update of the flat parameters from the flat gradients.</summary>
    protected abstract void StepCore(Tensor parameters, Tensor gradients);

    public virtual void Dispose() => maxNorm?.Dispose();
}
