using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Models;

/// <summary>
/// Every parameter of a model, and its gradient, as views into two flat buffers (parameters in the model's order), so
/// that an optimizer step is one pass over two buffers and zeroing the gradients one native call, instead of calls per
/// parameter, and a layer's weights or gradients are one contiguous block the tracker reads in place. The parameters
/// keep their identity (they are re-seated on the buffer with <c>set_</c>); backward accumulates into the gradient views
/// in place, because they exist before it runs.
/// </summary>
public sealed class FlatParameters : IDisposable
{
    /// <summary>One parameter's place in the buffers.</summary>
    public sealed record Segment(Parameter Parameter, long Offset, long Length, long[] Shape);

    public Tensor Values { get; }
    public Tensor Gradients { get; }
    public IReadOnlyList<Segment> Segments { get; }

    public FlatParameters(IEnumerable<Parameter> parameters)
    {
        var list = parameters.ToList();
        long offset = 0;
        Segments = list.Select(p => { var s = new Segment(p, offset, p.numel(), p.shape); offset += s.Length; return s; }).ToList();
        using (no_grad())
        {
            Values = cat(list.Select(p => p.detach().reshape(-1)).ToList()).DetachFromDisposeScope();
            Gradients = zeros_like(Values).DetachFromDisposeScope();
            foreach (var segment in Segments)
            {
                using var values = View(Values, segment);
                using var gradients = View(Gradients, segment);
                segment.Parameter.set_(values);
                segment.Parameter.grad = gradients;
            }
        }
    }

    /// <summary>A segment of a flat buffer in its parameter's shape (shares the buffer's storage).</summary>
    public static Tensor View(Tensor flat, Segment segment)
    {
        using var slice = flat.narrow(0, segment.Offset, segment.Length);
        return slice.view(segment.Shape);
    }

    /// <summary>Where a parameter lies in the buffers.</summary>
    public Segment SegmentOf(Parameter parameter) => Segments[IndexOf(parameter)];

    /// <summary>The index of a parameter's segment.</summary>
    public int IndexOf(Parameter parameter)
    {
        for (int i = 0; i < Segments.Count; i++) if (ReferenceEquals(Segments[i].Parameter, parameter)) return i;
        throw new ArgumentException("not a parameter of these buffers");
    }

    /// <summary>Zeroes every gradient in one call; backward then accumulates into the views.</summary>
    public void ZeroGradients() => Gradients.zero_();

    public void Dispose()
    {
        Values.Dispose();
        Gradients.Dispose();
    }
}
