using Experiments.Models;
using static TorchSharp.torch;

namespace Experiments.Diagnostics;

/// <summary>
/// What the metrics see of one layer at one step, read in place within the batch's dispose scope: its gradients (blocks
/// of the flat buffer), its δ, its activation output, and, after the optimizer step, the sums of the step's change. A sum
/// that two metrics share is computed once, on first use.
/// </summary>
public sealed class LayerView
{
    (double Squares, double Magnitudes)? weightGradientSums;
    Block? delta;

    public required ActivationFunction Activation { get; init; }
    public required Block WeightGradients { get; init; }
    public required Block BiasGradients { get; init; }
    /// <summary>The Linear layer's output h (the pre-activation), kept with its gradient ∂L/∂h by the model.</summary>
    public required Tensor PreActivation { get; init; }
    /// <summary>The hidden block's activation output, [batch, width]; null for the read-out.</summary>
    public required Tensor? Output { get; init; }
    /// <summary>After the optimizer step: Σ(ΔW)² of the step and Σw² of the weights before it; null until the step.</summary>
    public (double Change, double Weights)? Step { get; init; }

    /// <summary>Σg² and Σ|g| of the weight gradient, from one pass.</summary>
    public (double Squares, double Magnitudes) WeightGradientSums => weightGradientSums ??= Reductions.Sums(WeightGradients);

    /// <summary>δ = ∂L/∂h over the batch.</summary>
    public Block Delta => delta ??= Block.Whole(PreActivation.grad ?? throw new InvalidOperationException("no gradient: call backward first"));
}
