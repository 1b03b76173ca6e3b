using System.Numerics;
using Experiments.Diagnostics;
using Experiments.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Training.Optimizers;

/// <summary>
/// An optimizer over a model's <see cref="FlatParameters"/>: a step is one pass over the flat buffers in C#, element by
/// element in the data's precision (IEEE arithmetic, no fused multiply-add), so an update is the same on every CPU.
/// Asked by a tracker (<see cref="StepChanges"/>), the same pass sums each weight's change. Clipping is one libtorch norm;
/// its Scalars are held for the optimizer's lifetime: TorchSharp 0.107 frees a temporary Scalar (an implicit double →
/// Scalar conversion, a default alpha) in its finalizer, which a garbage collection started by another thread can run
/// while the native call still reads it.
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

    /// <summary>The number of parameters, the length of an optimizer's state buffers.</summary>
    protected long Count => flat.Values.numel();

    /// <summary>Whether the parameters are float64 (otherwise float32).</summary>
    protected bool IsDouble => flat.Values.dtype == ScalarType.Float64;

    /// <summary>Zeroes every gradient in place (backward then accumulates into them).</summary>
    public void ZeroGrad() => flat.ZeroGradients();

    /// <summary>Clips the gradients if asked, then updates every parameter from its gradient; for the segments that
    /// <paramref name="changes"/> asks about, reports the step's sums there.</summary>
    public void Step(StepChanges? changes = null)
    {
        if (maxNorm is not null)
        {
            using var _ = no_grad();
            // As libtorch's clip_grad_norm_: g ← g · min(1, max / (‖g‖ + 1e-6)), ‖g‖ over every gradient at once.
            using var norm = flat.Gradients.norm();
            using var scale = norm.add_(ClipEpsilon, Scalars.One).reciprocal_().mul_(maxNorm).clamp_max_(Scalars.One);
            flat.Gradients.mul_(scale);
        }
        BeginStep();
        if (IsDouble) Update<double>(changes);
        else Update<float>(changes);
        EndStep();
    }

    void Update<T>(StepChanges? changes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> values = Block.Whole(flat.Values).Span<T>(), gradients = Block.Whole(flat.Gradients).Span<T>();
        for (int s = 0; s < flat.Segments.Count; s++)
        {
            var (offset, length) = (checked((int)flat.Segments[s].Offset), checked((int)flat.Segments[s].Length));
            bool measure = changes?.Asks(s) == true;
            var sums = UpdateSegment(values.Slice(offset, length), gradients.Slice(offset, length), offset, measure);
            if (measure) changes!.Report(s, sums);
        }
    }

    /// <summary>Called once before each step's updates (step counts, bias corrections).</summary>
    protected virtual void BeginStep() { }

    /// <summary>Called once after each step's updates.</summary>
    protected virtual void EndStep() { }

    /// <summary>Updates one parameter's segment, at <paramref name="offset"/> in the flat buffers, from its gradient; when
    /// <paramref name="measure"/>, returns Σ(Δp)² and Σp² before the step (<see cref="Reductions.UpdateMeasured"/>).</summary>
    protected abstract (double Change, double Before) UpdateSegment<T>(Span<T> parameters, ReadOnlySpan<T> gradients, int offset, bool measure)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Runs <paramref name="rule"/> over a segment, measured or not.</summary>
    protected static (double Change, double Before) Apply<T, TRule>(Span<T> parameters, ref TRule rule, bool measure)
        where T : unmanaged, IFloatingPointIeee754<T> where TRule : IElementUpdate<T>, allows ref struct
    {
        if (measure) return Reductions.UpdateMeasured(parameters, ref rule);
        Reductions.Update(parameters, ref rule);
        return default;
    }

    /// <summary>A zeroed state buffer, one element per parameter, in the parameters' precision.</summary>
    protected Array NewState() => IsDouble ? new double[Count] : new float[Count];

    public virtual void Dispose() => maxNorm?.Dispose();
}
