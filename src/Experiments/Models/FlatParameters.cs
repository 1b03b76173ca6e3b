using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Models;

/// <summary>
/// Every parameter of a model as a view into one flat buffer (in the model's order), so that an optimizer step is one pass
/// over it, and a layer's weights are one contiguous block the tracker reads in place. The parameters keep their identity
/// (they are re-seated on the buffer with <c>set_</c>). Their gradients are libtorch's own tensors, set by each backward
/// (<see cref="Mlp.Backward"/>): handed over as computed, never copied into a buffer.
/// </summary>
public sealed class FlatParameters : IDisposable
{
    /// <summary>One parameter's place in the buffers.</summary>
    public sealed record Segment(Parameter Parameter, long Offset, long Length, long[] Shape);

    public Tensor Values { get; }
    public IReadOnlyList<Segment> Segments { get; }
    Tensor[]? held; // this step's gradients by segment (Hold)

    public FlatParameters(IEnumerable<Parameter> parameters)
    {
        var list = parameters.ToList();
        long offset = 0;
        Segments = list.Select(p => { var s = new Segment(p, offset, p.numel(), p.shape); offset += s.Length; return s; }).ToList();
        using (no_grad())
        {
            Values = cat(list.Select(p => p.detach().reshape(-1)).ToList()).DetachFromDisposeScope();
            foreach (var segment in Segments)
            {
                using var values = View(Values, segment);
                segment.Parameter.set_(values);
            }
        }
    }

    /// <summary>A segment of a flat buffer in its parameter's shape (shares the buffer's storage).</summary>
    public static Tensor View(Tensor flat, Segment segment)
    {
        using var slice = flat.narrow(0, segment.Offset, segment.Length);
        return slice.view(segment.Shape);
    }

    /// <summary>The index of a parameter's segment.</summary>
    public int IndexOf(Parameter parameter)
    {
        for (int i = 0; i < Segments.Count; i++) if (ReferenceEquals(Segments[i].Parameter, parameter)) return i;
        throw new ArgumentException("not a parameter of these buffers");
    }

    /// <summary>A segment's gradient, as the last backward set it: contiguous, of the segment's length. The tensor is shared
    /// (do not dispose it). A parameter's <c>grad</c> set anew between <see cref="Mlp.Backward"/> and the next forward
    /// is not seen: call <see cref="ClearGradients"/> first.</summary>
    public Tensor GradientOf(int segment) =>
        held?[segment] is { IsInvalid: false } gradient // a held one is disposed with the step's scope; grad outlives it
            ? gradient
            : Checked(segment, Segments[segment].Parameter.grad ?? throw new InvalidOperationException("a parameter has no gradient: run backward first"));

    /// <summary>
    /// The gradients <see cref="Mlp.Backward"/> handed over (each parameter's <c>grad</c>), one per segment, or null
    /// when a new forward begins. Checked here once a step, they are then read by a look-up: the tracker and the optimizer read
    /// them all every step, and each <c>grad</c> read is several calls into libtorch and a new tensor handle.
    /// </summary>
    internal void Hold(Tensor[]? bySegment)
    {
        if (bySegment is not null)
            for (int s = 0; s < bySegment.Length; s++) Checked(s, bySegment[s]);
        held = bySegment;
    }

    Tensor Checked(int segment, Tensor gradient)
    {
        if (gradient.numel() != Segments[segment].Length || !gradient.is_contiguous())
            throw new InvalidOperationException($"the gradient of segment {segment} is not a contiguous tensor of its parameter's size");
        return gradient;
    }

    /// <summary>Forgets every gradient, so that a plain <c>backward</c> sets them anew instead of adding to them.</summary>
    public void ClearGradients()
    {
        held = null;
        foreach (var segment in Segments) segment.Parameter.grad = null;
    }

    public void Dispose() => Values.Dispose();
}
