using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Models;

/// <summary>
/// What the tracker needs of a model, whatever its architecture: parameters in flat buffers, and a backward that gives the
/// tensors the forward kept (an MLP's layer outputs, a recurrent net's hidden states) their gradients δ = ∂L/∂h in the
/// same autograd call as the parameters'. A subclass keeps its tensors with <see cref="Keep"/> and starts each forward with
/// <see cref="BeginForward"/>.
/// </summary>
public abstract class TrackedModel(string name) : nn.Module<Tensor, Tensor>(name)
{
    readonly List<Tensor> kept = new();
    readonly List<Tensor> deltas = new();
    List<Tensor>? allParameters;
    int[]? segmentOf; // of each of allParameters, in Flat

    /// <summary>Whether the forward keeps the tensors whose δ <see cref="Backward"/> computes (the tracker sets it).</summary>
    public bool KeepActivations { get; set; }

    /// <summary>The tensors the last forward kept, in order (input side, or first time step, first).</summary>
    protected IReadOnlyList<Tensor> Kept => kept;

    /// <summary>The order of the parameters in the flat buffers: a layer's weights in one block, like shapes side by side.</summary>
    protected abstract IEnumerable<Parameter> FlatOrder();

    /// <summary>
    /// Back-propagates <paramref name="loss"/>: sets every parameter's <c>grad</c>, and with <see cref="KeepActivations"/>
    /// gives every kept tensor its δ = ∂L/∂h (in <see cref="Deltas"/>), in one autograd call. libtorch hands over the
    /// tensors its backward computes: nothing accumulates into earlier gradients (so nothing needs zeroing first), and no δ
    /// is copied (retain_grad copies each one). With flat parameters, the buffers hold the gradients too
    /// (<see cref="FlatParameters.GradientOf"/>). Call within the batch's dispose scope.
    /// </summary>
    public void Backward(Tensor loss)
    {
        allParameters ??= parameters().Cast<Tensor>().ToList();
        var inputs = KeepActivations ? kept.Concat(allParameters).ToList() : allParameters;
        var gradients = autograd.grad([loss], inputs);
        deltas.Clear();
        for (int i = 0; i < inputs.Count; i++) inputs[i].grad = gradients[i];
        int keptCount = inputs.Count - allParameters.Count;
        deltas.AddRange(gradients.Take(keptCount));
        if (Flat is { } flat)
        {
            segmentOf ??= allParameters.Select(p => flat.IndexOf((Parameter)p)).ToArray();
            var bySegment = new Tensor[segmentOf.Length];
            for (int i = 0; i < segmentOf.Length; i++) bySegment[segmentOf[i]] = gradients[keptCount + i];
            flat.Hold(bySegment);
        }
    }

    /// <summary>Each kept tensor's δ = ∂L/∂h from the last <see cref="Backward"/>, in the order kept, until the batch's
    /// dispose scope ends; empty from the next forward on.</summary>
    public IReadOnlyList<Tensor> Deltas => deltas;

    /// <summary>The parameters in flat buffers, once <see cref="Flatten"/> has run; null before.</summary>
    public FlatParameters? Flat { get; private set; }

    /// <summary>Puts the parameters into flat buffers in <see cref="FlatOrder"/>. Call once the model has its final dtype
    /// (<c>to</c> replaces the parameters and would leave the buffers behind).</summary>
    public FlatParameters Flatten()
    {
        var ordered = FlatOrder().ToList();
        if (ordered.Count != parameters().Count()) throw new InvalidOperationException("a parameter is missing from the flat layout");
        segmentOf = null;
        return Flat = new FlatParameters(ordered);
    }

    /// <summary>A new forward: nothing of the last one is kept, and its gradients are no longer this model's.</summary>
    protected void BeginForward()
    {
        kept.Clear();
        deltas.Clear();
        Flat?.Hold(null);
    }

    /// <summary>Keeps <paramref name="h"/> for <see cref="Backward"/> when <see cref="KeepActivations"/> is set.</summary>
    protected Tensor Keep(Tensor h)
    {
        if (KeepActivations) kept.Add(h);
        return h;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Flat?.Dispose();
        base.Dispose(disposing);
    }
}
