namespace Experiments.Records;

/// <summary>
/// Everything measured for one spec, with what figures and reports state beside it: the data it ran on and what theory
/// predicts (null where mean field does not apply). Plots, hypotheses, snapshots and reports read only this.
/// </summary>
/// <param name="Complete">The run reached its end: every epoch, or a divergence (a finished outcome: retraining the same
/// spec diverges again). False only for a run stopped by a signal, which a resumed sweep trains again.</param>
public sealed record RunRecord(
    int SchemaVersion,
    string SpecId,
    ExperimentSpec Spec,
    EnvironmentInfo Environment,
    DataDescription Data,
    MeanFieldPrediction? Prediction,
    IReadOnlyList<EpochRecord> Epochs,
    Divergence? Divergence,
    bool Complete)
{
    /// <summary>2: records carry their data description and mean-field prediction.</summary>
    public const int CurrentSchema = 2;

    public EpochRecord Initial => Epochs[0];
    public EpochRecord Final => Epochs[^1];
    public bool Diverged => Divergence is not null;
    /// <summary>Stopped by a signal before its end. A diverged run is finished (records written before that rule say
    /// Complete false for one, hence the second test).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Interrupted => !Complete && !Diverged;
}

/// <summary>
/// One epoch's results. Epoch 0 is measured at initialisation, before any update, over a few batches
/// (train loss and accuracy are those batches'); test loss and accuracy are measured after the epoch.
/// </summary>
public sealed record EpochRecord(
    int Epoch,
    int Steps,
    double TrainLoss,
    double TrainAccuracy,
    double TestLoss,
    double TestAccuracy,
    IReadOnlyList<LayerRecord> Layers);

/// <summary>Training stopped at this step because the loss or a gradient was not finite.</summary>
public sealed record Divergence(int Epoch, long Step, string Reason);

/// <summary>Mean, minimum and maximum of one metric over the steps of an epoch (the metrics are Diagnostics' <c>Metric</c>).</summary>
public sealed record MetricSummary(double Mean, double Min, double Max);

/// <summary>One row's statistics for an epoch: an MLP's Linear layer (counted from 1 on the input side), or a recurrent net's
/// time step (1 to T) or weight matrix (after the steps).</summary>
public sealed record LayerRecord(int Layer, string Kind, int FanIn, int FanOut,
    IReadOnlyDictionary<string, MetricSummary> Metrics)
{
    public const string Hidden = "hidden";
    public const string Output = "output";
    /// <summary>A recurrent net's time step (its row holds δ_t = ∂L/∂h_t; the steps share the weights).</summary>
    public const string TimeStep = "time-step";
    /// <summary>A recurrent net's input weights W_ih.</summary>
    public const string Input = "input";
    /// <summary>A recurrent net's hidden-to-hidden weights W_hh.</summary>
    public const string RecurrentWeights = "recurrent";

    public double Mean(string metric) => Metrics.TryGetValue(metric, out var summary)
        ? summary.Mean
        : throw new KeyNotFoundException($"layer {Layer} ({Kind}) has no metric '{metric}'");
}

/// <summary>
/// Mean-field theory's prediction for a run's network at initialisation, kept in the record (schema 2 on).
/// </summary>
/// <param name="SigmaW2">σ_w² of the hidden-to-hidden layers; <paramref name="FirstLayerSigmaW2"/> is the first layer's.</param>
/// <param name="InputSecondMoment">E[x²] of the training images, which sets the first layer's variance.</param>
/// <param name="FixedPoint">q*, the variance the layers approach (0, +∞, or NaN on ReLU's critical line, where any q is fixed).</param>
/// <param name="Chi1">χ₁ = σ_w² E[φ′(√q* z)²]: below 1 gradients vanish with depth, above 1 they explode.</param>
/// <param name="LogDeltaProfile">Predicted log10(‖δ_l‖ / ‖δ_last hidden‖) for hidden layers 1..depth (the last is 0); for a
/// vanilla RNN, log10(‖δ_t‖ / ‖δ_T‖) for time steps 1..T, with <paramref name="FirstLayerSigmaW2"/> its input weights', and
/// <paramref name="FixedPoint"/> and <paramref name="Chi1"/> the last step's q and χ (its q is driven by each row's pixels).</param>
public sealed record MeanFieldPrediction(double SigmaW2, double SigmaB2, double FirstLayerSigmaW2, double InputSecondMoment,
    double FixedPoint, double Chi1, IReadOnlyList<double> LogDeltaProfile);
