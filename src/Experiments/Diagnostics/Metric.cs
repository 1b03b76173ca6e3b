using Experiments.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Diagnostics;

/// <summary>When a metric is read: after the backward pass, or after the optimizer step (epoch 0 takes no step).</summary>
public enum MetricTiming { AfterBackward, AfterStep }

/// <summary>What a metric sees of one Linear layer at one step, within the batch's dispose scope.</summary>
/// <param name="Delta">∂L/∂h for the layer's output h (the pre-activation), over the batch.</param>
/// <param name="Output">The hidden block's activation output; null for the read-out.</param>
/// <param name="WeightBefore">The weights before the step; null until <see cref="MetricTiming.AfterStep"/>.</param>
public sealed record LayerView(Linear Linear, Tensor Delta, Tensor? Output, ActivationFunction Activation, Tensor? WeightBefore = null)
{
    public Tensor Weight => Linear.weight!;
    public Tensor WeightGrad => Linear.weight!.grad ?? throw new InvalidOperationException("no gradient: call backward first");
    public Tensor BiasGrad => Linear.bias!.grad ?? throw new InvalidOperationException("no gradient: call backward first");
}

/// <summary>
/// One per-layer quantity: its name in records and CSVs, its title in figures, its table header, and how one step's value
/// is computed (a 0-d tensor; null where it does not apply). Each step's value is summarised per epoch by its mean, min and
/// max (<see cref="MetricSummary"/>). Every metric made here is in <see cref="All"/>, so nothing measured is left out of a
/// record: adding a metric is one field in this file.
/// </summary>
public sealed class Metric
{
    static readonly List<Metric> Registry = new(); // before the fields below: they add themselves as they are made

    /// <summary>‖∂L/∂W_l‖, the L2 (Frobenius) norm of the weight gradient.</summary>
    public static readonly Metric WeightGradNorm = new("weight_grad_norm", "‖∂L/∂W‖", "|dL/dW|", MetricTiming.AfterBackward,
        v => v.WeightGrad.norm());

    /// <summary>‖∂L/∂b_l‖.</summary>
    public static readonly Metric BiasGradNorm = new("bias_grad_norm", "‖∂L/∂b‖", "|dL/db|", MetricTiming.AfterBackward,
        v => v.BiasGrad.norm());

    /// <summary>Mean |∂L/∂W_l| over the weights: the classic experiment's "average gradient".</summary>
    public static readonly Metric WeightGradMeanAbs = new("weight_grad_mean_abs", "mean |∂L/∂W|", "mean|dW|", MetricTiming.AfterBackward,
        v => v.WeightGrad.abs().mean());

    /// <summary>‖δ_l‖ = ‖∂L/∂h_l‖ over the batch, h_l the Linear layer's output (the pre-activation).</summary>
    public static readonly Metric DeltaNorm = new("delta_norm", "‖δ‖", "|delta|", MetricTiming.AfterBackward,
        v => v.Delta.norm());

    /// <summary>Share of a hidden layer's outputs on a flat tail of the activation (sigmoid below 0.01 or above 0.99, tanh
    /// with |·| above 0.99); only for activations that saturate.</summary>
    public static readonly Metric Saturation = new("saturation", "saturated share", "saturated", MetricTiming.AfterBackward,
        v => v.Output is { } y && v.Activation.Saturated is { } saturated ? saturated(y).to(y.dtype).mean() : null);

    /// <summary>Share of a hidden layer's units inactive (ReLU output ≤ 0) on every example of the batch; only for
    /// activations with an inactive region.</summary>
    public static readonly Metric DeadFraction = new("dead_fraction", "dead units", "dead", MetricTiming.AfterBackward,
        v => v.Output is { } y && v.Activation.Inactive is { } inactive ? inactive(y).all(0).to(y.dtype).mean() : null);

    /// <summary>‖ΔW_l‖ / ‖W_l‖ of one optimizer step.</summary>
    public static readonly Metric UpdateRatio = new("update_ratio", "‖ΔW‖/‖W‖", "|dW|/|W|", MetricTiming.AfterStep,
        v => (v.Weight.detach() - v.WeightBefore!).norm().div(v.WeightBefore!.norm()));

    /// <summary>Every metric, in the order tables and records show them.</summary>
    public static IReadOnlyList<Metric> All => Registry;

    public static Metric Named(string name) =>
        Registry.FirstOrDefault(m => m.Name == name) ?? throw new KeyNotFoundException($"no metric named '{name}'");

    Metric(string name, string title, string header, MetricTiming timing, Func<LayerView, Tensor?> measure)
    {
        (Name, Title, Header, Timing, Measure) = (name, title, header, timing, measure);
        Registry.Add(this);
    }

    /// <summary>The key in records, CSVs and JSON: snake_case.</summary>
    public string Name { get; }
    /// <summary>How figures write it.</summary>
    public string Title { get; }
    /// <summary>The plain-text column header of the layer table (at most 10 characters).</summary>
    public string Header { get; }
    public MetricTiming Timing { get; }
    /// <summary>One step's value for a layer, as a 0-d tensor (read with all the step's others at once); null where it does not apply.</summary>
    public Func<LayerView, Tensor?> Measure { get; }

    /// <summary>Records key their metrics by name: a metric reads them directly.</summary>
    public static implicit operator string(Metric metric) => metric.Name;

    public override string ToString() => Name;
}
