using Experiments.Diagnostics;

namespace Experiments.Records;

/// <summary>Everything measured for one spec. Plots, hypotheses, snapshots and reports read only this.</summary>
public sealed record RunRecord(
    int SchemaVersion,
    string SpecId,
    ExperimentSpec Spec,
    EnvironmentInfo Environment,
    IReadOnlyList<EpochRecord> Epochs,
    Divergence? Divergence,
    bool Complete)
{
    public const int CurrentSchema = 1;

    public EpochRecord Initial => Epochs[0];
    public EpochRecord Final => Epochs[^1];
    public bool Diverged => Divergence is not null;
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
