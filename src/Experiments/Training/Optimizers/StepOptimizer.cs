using System.Numerics;
using System.Runtime.Intrinsics;
using Experiments.Diagnostics;
using Experiments.Models;

namespace Experiments.Training.Optimizers;

/// <summary>
/// An optimizer over a model's <see cref="FlatParameters"/>: a step is one pass over the flat buffers in C#, element by
/// element in the data's precision (IEEE arithmetic, no fused multiply-add), and clipping measures the gradient's norm
/// with the tracker's fixed-order sums, so an update is the same on every CPU. It passes no Scalar to libtorch (TorchSharp
/// 0.107 frees a temporary Scalar in its finalizer, which another thread's collection can run mid-call). Asked by a
/// tracker (<see cref="StepChanges"/>), the same pass sums each weight's change.
/// </summary>
public abstract class StepOptimizer : IDisposable
{
    readonly FlatParameters flat;
    readonly double? maxNorm;
    const double ClipEpsilon = 1e-6; // libtorch's clip_grad_norm_ adds it to the norm

    /// <param name="clipNorm">When set, the gradients are scaled before each step so that their global norm is at most this.</param>
    protected StepOptimizer(FlatParameters flat, double? clipNorm)
    {
        this.flat = flat;
        maxNorm = clipNorm;
        IsDouble = Block.Whole(flat.Values).IsDouble; // and throws for a type other than float32 and float64
    }

    /// <summary>Whether the parameters are float64 (otherwise float32).</summary>
    protected bool IsDouble { get; }

    /// <summary>Clips the gradients if asked, then updates every parameter from its gradient; for the segments that
    /// <paramref name="changes"/> asks about (made for these buffers), reports the step's sums there.</summary>
    public void Step(StepChanges? changes = null)
    {
        if (changes is not null && !ReferenceEquals(changes.Flat, flat)) throw new ArgumentException("the changes are asked of another model's buffers", nameof(changes));
        BeginStep();
        if (IsDouble) Update<double>(changes);
        else Update<float>(changes);
        EndStep();
    }

    void Update<T>(StepChanges? changes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = Block.Whole(flat.Values).Span<T>();
        var gradients = Enumerable.Range(0, flat.Segments.Count).Select(s => Block.Whole(flat.GradientOf(s))).ToArray();
        if (maxNorm is { } max)
        {
            // As libtorch's clip_grad_norm_: g ← g · min(1, max / (‖g‖ + 1e-6)), ‖g‖ over every gradient at once (the
            // segments' sums added in their order).
            double norm = Math.Sqrt(gradients.Sum(g => Reductions.Sums(g).Squares));
            var scale = new Scale<T>(T.CreateTruncating(Math.Min(1, max / (norm + ClipEpsilon))));
            foreach (var gradient in gradients) ParameterPass.Apply(gradient.Span<T>(), ref scale);
        }
        for (int s = 0; s < flat.Segments.Count; s++)
        {
            var (offset, length) = (checked((int)flat.Segments[s].Offset), checked((int)flat.Segments[s].Length));
            bool measure = changes?.Asks(s) == true;
            var sums = UpdateSegment(values.Slice(offset, length), gradients[s].Span<T>(), offset, measure);
            if (measure) changes!.Report(s, sums);
        }
    }

    /// <summary>Called once before each step's updates (step counts, bias corrections).</summary>
    protected virtual void BeginStep() { }

    /// <summary>Called once after each step's updates.</summary>
    protected virtual void EndStep() { }

    /// <summary>Updates one parameter's segment, at <paramref name="offset"/> in the flat buffers, from its gradient; when
    /// <paramref name="measure"/>, returns Σ(Δp)² and Σp² before the step (<see cref="ParameterPass.ApplyMeasured"/>).</summary>
    protected abstract (double Change, double Before) UpdateSegment<T>(Span<T> parameters, ReadOnlySpan<T> gradients, int offset, bool measure)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Runs <paramref name="rule"/> over a segment, measured or not.</summary>
    protected static (double Change, double Before) Apply<T, TRule>(Span<T> parameters, ref TRule rule, bool measure)
        where T : unmanaged, IFloatingPointIeee754<T> where TRule : IElementUpdate<T>, allows ref struct
    {
        if (measure) return ParameterPass.ApplyMeasured(parameters, ref rule);
        ParameterPass.Apply(parameters, ref rule);
        return default;
    }

    /// <summary>A zeroed state buffer, one element per parameter, in the parameters' precision.</summary>
    protected Array NewState() => IsDouble ? new double[flat.Values.numel()] : new float[flat.Values.numel()];

    /// <summary>A segment of a state buffer made by <see cref="NewState"/>.</summary>
    protected static Span<T> Segment<T>(Array state, int offset, int length) => ((T[])state).AsSpan(offset, length);

    /// <summary>g ← g · s.</summary>
    readonly struct Scale<T>(T factor) : IElementUpdate<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Vector256<T> Next(int index, Vector256<T> current) => current * factor;
        public T Next(int index, T current) => current * factor;
    }

    public virtual void Dispose() { }
}
