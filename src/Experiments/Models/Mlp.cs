using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Models;

/// <summary>The shape of an MLP: hidden layers of one width, then a Linear read-out.</summary>
public sealed record MlpOptions(int Inputs, int Outputs, int Depth, int Width, Activation Activation,
    Normalization Normalization = Normalization.None, bool Residual = false);

/// <summary>
/// A multilayer perceptron: Depth hidden blocks Linear → [norm] → activation (with an optional identity skip
/// from the second block on), then a Linear read-out. When <see cref="TrackedModel.KeepActivations"/> is set, the forward
/// keeps every Linear output h_l and every hidden activation output, and <see cref="TrackedModel.Backward"/> gives each
/// h_l its gradient ∂L/∂h_l, for the gradient tracker to read within the same dispose scope.
/// </summary>
public sealed class Mlp : TrackedModel
{
    readonly ModuleList<Linear> linears = new();
    readonly ModuleList<nn.Module<Tensor, Tensor>> norms = new();
    readonly List<Tensor> activations = new();
    readonly ActivationFunction activation;

    public MlpOptions Options { get; }

    /// <summary>Each Linear layer's output of the last forward, input side first; the last is the logits.</summary>
    public IReadOnlyList<Tensor> PreActivations => Kept;

    /// <summary>Each hidden block's activation output (before any skip is added) of the last forward.</summary>
    public IReadOnlyList<Tensor> Activations => activations;

    public IList<Linear> Linears => linears;

    /// <summary>Every Linear weight in layer order, then every bias, then any normalisation's parameters, so that layers of
    /// one shape lie side by side.</summary>
    protected override IEnumerable<Parameter> FlatOrder() =>
        linears.Select(l => l.weight!).Concat(linears.Select(l => l.bias!)).Concat(norms.SelectMany(n => n.parameters()));

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
        BeginForward();
        activations.Clear();
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
}
