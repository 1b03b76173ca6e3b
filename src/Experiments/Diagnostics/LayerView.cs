using Experiments.Models;
using static TorchSharp.torch;

namespace Experiments.Diagnostics;

/// <summary>
/// What the metrics see of one layer at one step, read in place within the batch's dispose scope: its gradients, its δ,
/// its activation output, and, after the optimizer step, the sums of the step's change. A tensor is found, and a sum two
/// metrics share computed, once, on first use.
/// </summary>
public sealed class LayerView
{
    (double Squares, double Magnitudes)? weightGradientSums;
    Block? delta, weightGradients, biasGradients;

    public required ActivationFunction Activation { get; init; }
    /// <summary>The model's parameters, whose gradients the last backward set.</summary>
    public required FlatParameters Parameters { get; init; }
    /// <summary>The layer's weight and bias: their segments in <see cref="Parameters"/>; null for a recurrent net's time
    /// step, whose weights are shared with every other step.</summary>
    public required (int Weight, int Bias)? Segments { get; init; }
    public Block WeightGradients => weightGradients ??= Block.Whole(Parameters.GradientOf(Segments!.Value.Weight));
    public Block BiasGradients => biasGradients ??= Block.Whole(Parameters.GradientOf(Segments!.Value.Bias));
    /// <summary>The gradient ∂L/∂h of the layer's output h, as the model kept it: an MLP Linear's output (the
    /// pre-activation), a recurrent net's hidden state h_t; null for a recurrent net's weights.</summary>
    public required Tensor? PreActivationGradient { get; init; }
    /// <summary>The hidden block's activation output, [batch, width]; null for the read-out and the gated cells' states.</summary>
    public required Tensor? Output { get; init; }
    /// <summary>A gated cell's gate that keeps the old state (LSTM forget, GRU update), [batch, width]; null elsewhere.</summary>
    public Tensor? KeepGate { get; init; }
    /// <summary>The weight matrix whose spectral norm is tracked (a recurrent net's W_hh); null elsewhere.</summary>
    public Tensor? Matrix { get; init; }
    /// <summary>After the optimizer step: Σ(ΔW)² of the step and Σw² of the weights before it; null until the step.</summary>
    public (double Change, double Weights)? Step { get; init; }

    /// <summary>Σg² and Σ|g| of the weight gradient, from one pass.</summary>
    public (double Squares, double Magnitudes) WeightGradientSums => weightGradientSums ??= Reductions.Sums(WeightGradients);

    /// <summary>δ = ∂L/∂h over the batch.</summary>
    public Block Delta => delta ??= Block.Whole(PreActivationGradient!);
}
