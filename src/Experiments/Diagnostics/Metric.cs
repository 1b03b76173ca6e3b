using Experiments.Models;

namespace Experiments.Diagnostics;

/// <summary>When a metric is read: after the backward pass, or after the optimizer step (epoch 0 takes no step).</summary>
public enum MetricTiming { AfterBackward, AfterStep }

/// <summary>Which layers a metric has a value for: every Linear layer, or the hidden ones (the read-out has no activation).</summary>
public enum MetricScope { EveryLayer, HiddenLayers }

/// <summary>
/// One per-layer quantity: its name in records and CSVs, its title in figures, its table header, and how one layer's value
/// at one step is computed (null where it does not apply). Each step's value is summarised per epoch by its mean, min and
/// max (<see cref="MetricSummary"/>). Every metric made here is in <see cref="All"/>, so nothing measured is left out of a
/// record: adding a metric is one field in this file.
/// </summary>
public sealed class Metric
{
    static readonly List<Metric> Registry = new(); // before the fields below: they add themselves as they are made

    /// <summary>‖∂L/∂W_l‖, the L2 (Frobenius) norm of the weight gradient.</summary>
    public static readonly Metric WeightGradNorm = new("weight_grad_norm", "‖∂L/∂W‖", "|dL/dW|", MetricTiming.AfterBackward, MetricScope.EveryLayer,
        v => v.Segments is null ? null : Math.Sqrt(v.WeightGradientSums.Squares));

    /// <summary>‖∂L/∂b_l‖.</summary>
    public static readonly Metric BiasGradNorm = new("bias_grad_norm", "‖∂L/∂b‖", "|dL/db|", MetricTiming.AfterBackward, MetricScope.EveryLayer,
        v => v.Segments is null ? null : Math.Sqrt(Reductions.Sums(v.BiasGradients).Squares));

    /// <summary>Mean |∂L/∂W_l| over the weights: the classic experiment's "average gradient".</summary>
    public static readonly Metric WeightGradMeanAbs = new("weight_grad_mean_abs", "mean |∂L/∂W|", "mean|dW|", MetricTiming.AfterBackward, MetricScope.EveryLayer,
        v => v.Segments is null ? null : v.WeightGradientSums.Magnitudes / v.WeightGradients.Length);

    /// <summary>‖δ_l‖ = ‖∂L/∂h_l‖ over the batch, h_l the Linear layer's output (the pre-activation); for a recurrent net's
    /// time step, its hidden state h_t.</summary>
    public static readonly Metric DeltaNorm = new("delta_norm", "‖δ‖", "|delta|", MetricTiming.AfterBackward, MetricScope.EveryLayer,
        v => v.PreActivationGradient is null ? null : Math.Sqrt(Reductions.Sums(v.Delta).Squares));

    /// <summary>Share of a hidden layer's outputs on a flat tail of the activation (sigmoid below 0.01 or above 0.99, tanh
    /// with |·| above 0.99); only for activations that saturate.</summary>
    public static readonly Metric Saturation = new("saturation", "saturated share", "saturated", MetricTiming.AfterBackward, MetricScope.HiddenLayers,
        v => v.Activation.Saturation is { } band && v.Output is not null && Block.Whole(v.Output) is var output
            ? (double)Reductions.CountFartherThan(output, band.Center, band.Margin) / output.Length : null);

    /// <summary>Share of a hidden layer's units inactive (ReLU output ≤ 0) on every example of the batch; only for
    /// activations with an inactive region.</summary>
    public static readonly Metric DeadFraction = new("dead_fraction", "dead units", "dead", MetricTiming.AfterBackward, MetricScope.HiddenLayers,
        v => v.Activation.InactiveAtOrBelowZero && v.Output?.size(1) is { } width
            ? (double)Reductions.CountColumnsAtOrBelowZero(Block.Whole(v.Output), (int)width) / width : null);

    /// <summary>‖ΔW_l‖ / ‖W_l‖ of one optimizer step, ‖W_l‖ before it.</summary>
    public static readonly Metric UpdateRatio = new("update_ratio", "‖ΔW‖/‖W‖", "|dW|/|W|", MetricTiming.AfterStep, MetricScope.EveryLayer,
        v => v.Step is var (change, weights) ? Math.Sqrt(change / weights) : null);

    /// <summary>Mean of a gated cell's keep gate at a time step (the LSTM's forget gate, the GRU's update gate): near 1 the
    /// old state, and its gradient, pass on almost whole; near 0 the gate shuts them.</summary>
    public static readonly Metric KeepGateMean = new("keep_gate_mean", "mean keep gate", "keep gate", MetricTiming.AfterBackward, MetricScope.HiddenLayers,
        v => v.KeepGate is { } gate && Block.Whole(gate) is var block ? Reductions.Sums(block).Magnitudes / block.Length : null)
    { RecurrentOnly = true };

    /// <summary>‖W_hh‖₂, the recurrent matrix's largest singular value: above 1/γ (γ the bound on φ′) the bound of Pascanu,
    /// Mikolov and Bengio (2013) no longer rules out exploding gradients through time.</summary>
    public static readonly Metric SpectralNorm = new("spectral_norm", "‖W_hh‖₂", "|W_hh|_2", MetricTiming.AfterBackward, MetricScope.EveryLayer,
        v => v.Matrix is { } matrix ? LargestSingularValue(matrix) : null)
    { RecurrentOnly = true };

    static double LargestSingularValue(TorchSharp.torch.Tensor matrix)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var _ = TorchSharp.torch.no_grad();
        return TorchSharp.torch.linalg.svdvals(matrix).max().to(TorchSharp.torch.float64).item<double>();
    }

    /// <summary>Every metric, in the order tables and records show them.</summary>
    public static IReadOnlyList<Metric> All => Registry;

    public static Metric Named(string name) =>
        Registry.FirstOrDefault(m => m.Name == name) ?? throw new KeyNotFoundException($"no metric named '{name}'");

    Metric(string name, string title, string header, MetricTiming timing, MetricScope scope, Func<LayerView, double?> measure)
    {
        (Name, Title, Header, Timing, Scope, Measure) = (name, title, header, timing, scope, measure);
        Index = Registry.Count;
        Registry.Add(this);
    }

    /// <summary>Measured on recurrent nets only: an MLP's tables leave its column out.</summary>
    public bool RecurrentOnly { get; private init; }

    /// <summary>Its place in <see cref="All"/>.</summary>
    public int Index { get; }
    /// <summary>The key in records, CSVs and JSON: snake_case.</summary>
    public string Name { get; }
    /// <summary>How figures write it.</summary>
    public string Title { get; }
    /// <summary>The plain-text column header of the layer table (at most 10 characters).</summary>
    public string Header { get; }
    public MetricTiming Timing { get; }
    public MetricScope Scope { get; }
    /// <summary>One layer's value at one step, computed in place over the layer's tensors (<see cref="Reductions"/>); null
    /// where the metric does not apply (saturation for ReLU).</summary>
    public Func<LayerView, double?> Measure { get; }

    /// <summary>Records key their metrics by name: a metric reads them directly.</summary>
    public static implicit operator string(Metric metric) => metric.Name;

    public override string ToString() => Name;
}
