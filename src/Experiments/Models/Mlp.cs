using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Models;

/// <summary>The shape of an MLP: hidden layers of one width, then a Linear read-out.</summary>
public sealed record MlpOptions(int Inputs, int Outputs, int Depth, int Width, Activation Activation,
    Normalization Normalization = Normalization.None, bool Residual = false);

/// <summary>
/// A multilayer perceptron: Depth hidden blocks Linear → [norm] → activation (with an optional identity skip
/// from the second block on), then a Linear read-out. When <see cref="KeepActivations"/> is set, the forward
/// keeps every Linear output h_l and every hidden activation output, and <see cref="Backward"/> gives each h_l its
/// gradient ∂L/∂h_l, for the gradient tracker to read within the same dispose scope.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    readonly ModuleList<Linear> linears = new();
    readonly ModuleList<nn.Module<Tensor, Tensor>> norms = new();
    readonly List<Tensor> preActivations = new();
    readonly List<Tensor> activations = new();
    readonly List<Tensor> deltas = new();
    readonly ActivationFunction activation;
    List<Tensor>? allParameters;
    int[]? segmentOf; // of each of allParameters, in Flat

    public MlpOptions Options { get; }
    public bool KeepActivations { get; set; }

    /// <summary>Each Linear layer's output of the last forward, input side first; the last is the logits.</summary>
    public IReadOnlyList<Tensor> PreActivations => preActivations;

    /// <summary>Each hidden block's activation output (before any skip is added) of the last forward.</summary>
    public IReadOnlyList<Tensor> Activations => activations;

    public IList<Linear> Linears => linears;

    /// <summary>
    /// Back-propagates <paramref name="loss"/>: sets every parameter's <c>grad</c>, and with <see cref="KeepActivations"/>
    /// every kept Linear output's (δ = ∂L/∂h, also in <see cref="Deltas"/>), in one autograd call. libtorch hands over the
    /// tensors its backward computes: nothing accumulates into earlier gradients (so nothing needs zeroing first), and no δ
    /// is copied (retain_grad copies each one). With flat parameters, the buffers hold the gradients too
    /// (<see cref="FlatParameters.GradientOf"/>). Call within the batch's dispose scope.
    /// </summary>
    public void Backward(Tensor loss)
    {
        allParameters ??= parameters().Cast<Tensor>().ToList();
        var inputs = KeepActivations ? preActivations.Concat(allParameters).ToList() : allParameters;
        var gradients = autograd.grad([loss], inputs);
        deltas.Clear();
        for (int i = 0; i < inputs.Count; i++) inputs[i].grad = gradients[i];
        int kept = inputs.Count - allParameters.Count;
        deltas.AddRange(gradients.Take(kept));
        if (Flat is { } flat)
        {
            segmentOf ??= allParameters.Select(p => flat.IndexOf((Parameter)p)).ToArray();
            var bySegment = new Tensor[segmentOf.Length];
            for (int i = 0; i < segmentOf.Length; i++) bySegment[segmentOf[i]] = gradients[kept + i];
            flat.Hold(bySegment);
        }
    }

    /// <summary>Each kept Linear output's δ = ∂L/∂h from the last <see cref="Backward"/> (its <c>grad</c>, read without a
    /// call into libtorch), input side first, until the batch's dispose scope ends; empty from the next forward on.</summary>
    public IReadOnlyList<Tensor> Deltas => deltas;

    /// <summary>The parameters in flat buffers, once <see cref="Flatten"/> has run; null before.</summary>
    public FlatParameters? Flat { get; private set; }

    /// <summary>
    /// Puts the parameters into flat buffers: every Linear weight in layer order, then every bias, then any normalisation's
    /// parameters, so that layers of one shape lie side by side. Call once the model has its final dtype (<c>to</c>
    /// replaces the parameters and would leave the buffers behind).
    /// </summary>
    public FlatParameters Flatten()
    {
        var ordered = linears.Select(l => l.weight!).Concat(linears.Select(l => l.bias!))
            .Concat(norms.SelectMany(n => n.parameters())).ToList();
        if (ordered.Count != parameters().Count()) throw new InvalidOperationException("a parameter is missing from the flat layout");
        segmentOf = null;
        return Flat = new FlatParameters(ordered);
    }

    public Mlp(MlpOptions options) : base("Mlp")
    {
        Options = options;
        activation = ActivationFunction.Of(options.Activation);
        if (options.Depth < 1) throw new ArgumentOutOfRangeException(nameof(options), "depth must be at least 1");
        for (int l = 0; l < options.Depth; l++)
        {
            linears.Add(nn.Linear(l == 0 ? options.Inputs : options.Width, options.Width));
            if (options.Normalization == Normalization.Batch) norms.Add(nn.BatchNorm1d(options.Width));
            if (options.Normalization == Normalization.Layer) norms.Add(nn.LayerNorm(options.Width));
        }
        linears.Add(nn.Linear(options.Width, options.Outputs));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        preActivations.Clear();
        activations.Clear();
        deltas.Clear();
        Flat?.Hold(null); // a new step: the last one's gradients are no longer this model's
        var a = input;
        for (int l = 0; l < Options.Depth; l++)
        {
            var h = Keep(linears[l].forward(a));
            var z = norms.Count > 0 ? norms[l].forward(h) : h;
            var f = activation.Apply(z);
            if (KeepActivations) activations.Add(f);
            a = Options.Residual && l > 0 ? a.add(f, Scalars.One) : f;
        }
        return Keep(linears[Options.Depth].forward(a));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Flat?.Dispose();
        base.Dispose(disposing);
    }

    Tensor Keep(Tensor h)
    {
        if (KeepActivations) preActivations.Add(h);
        return h;
    }
}
