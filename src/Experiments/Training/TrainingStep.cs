using Experiments.Diagnostics;
using Experiments.Models;

namespace Experiments.Training;

/// <summary>
/// One measured batch, as a per-step observer of <see cref="Trainer.Run"/> sees it, inside the batch's dispose scope:
/// the model still holds this batch's weight gradients and δ (<see cref="Mlp.PreActivations"/>' gradients).
/// <see cref="Step"/> counts the updates made before this batch (epoch 0 measures the initial network and makes none),
/// <see cref="Updates"/> is null where no update was made. An observer reads; it must not change the model.
/// </summary>
public sealed record TrainingStep(int Epoch, long Step, int Batch, int BatchesInEpoch, double Loss, double Accuracy,
    StepMeasurement Gradients, StepMeasurement? Updates, Mlp Model);
