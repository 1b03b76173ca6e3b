namespace Experiments.Diagnostics;

/// <summary>Names of the per-layer quantities the tracker measures (README, "What is measured, and why two gradients").</summary>
public static class Metric
{
    /// <summary>‖∂L/∂W_l‖, the L2 (Frobenius) norm of the weight gradient.</summary>
    public const string WeightGradNorm = "weight_grad_norm";
    /// <summary>‖∂L/∂b_l‖.</summary>
    public const string BiasGradNorm = "bias_grad_norm";
    /// <summary>mean |∂L/∂W_l| over the weights: the seed experiment's "average gradient".</summary>
    public const string WeightGradMeanAbs = "weight_grad_mean_abs";
    /// <summary>‖δ_l‖ = ‖∂L/∂h_l‖ over the batch, h_l the Linear layer's output (the pre-activation).</summary>
    public const string DeltaNorm = "delta_norm";
    /// <summary>Share of sigmoid outputs below 0.01 or above 0.99, or of tanh outputs with |·| above 0.99.</summary>
    public const string Saturation = "saturation";
    /// <summary>Share of ReLU (or leaky ReLU) units with non-positive output on every example of the batch.</summary>
    public const string DeadFraction = "dead_fraction";
    /// <summary>‖ΔW_l‖ / ‖W_l‖ of one optimizer step (not measured at epoch 0, where no step is taken).</summary>
    public const string UpdateRatio = "update_ratio";

    public static readonly IReadOnlyList<string> All =
        [WeightGradNorm, BiasGradNorm, WeightGradMeanAbs, DeltaNorm, Saturation, DeadFraction, UpdateRatio];
}

/// <summary>Mean, minimum and maximum of one metric over the steps of an epoch.</summary>
public sealed record MetricSummary(double Mean, double Min, double Max);

/// <summary>One Linear layer's statistics for an epoch. Layers count from 1 on the input side.</summary>
public sealed record LayerRecord(int Layer, string Kind, int FanIn, int FanOut,
    IReadOnlyDictionary<string, MetricSummary> Metrics)
{
    public const string Hidden = "hidden";
    public const string Output = "output";

    public double Mean(string metric) => Metrics.TryGetValue(metric, out var summary)
        ? summary.Mean
        : throw new KeyNotFoundException($"layer {Layer} ({Kind}) has no metric '{metric}'");
}
