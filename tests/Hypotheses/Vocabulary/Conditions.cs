using Experiments.Models;
using Experiments.Records;
using Experiments.Training;

namespace Hypotheses.Vocabulary;

/// <summary>
/// The conditions hypotheses run under. <see cref="Classic"/> is the seed experiment's (Keras defaults: Glorot-uniform,
/// zero biases, width 128, Adam 1e-3, batch 64, the 10,000 embedded digits split 8,000/2,000), for
/// <see cref="Epochs"/> epochs so that the whole suite stays within its time budget.
/// </summary>
public static class Conditions
{
    /// <summary>Training epochs for hypotheses: enough for every learner here to pass 80% test accuracy.</summary>
    public const int Epochs = 5;

    public static ExperimentSpec Classic(Activation activation, int depth) =>
        new() { Activation = activation, Depth = depth, Epochs = Epochs };

    /// <summary>The network at initialisation only (epoch 0, no update): for claims about the initial gradient flow.</summary>
    public static ExperimentSpec AtInitialisation(this ExperimentSpec spec) => spec with { Epochs = 0 };

    /// <summary>Weights N(0, σ_w²/fan_in): the mean-field parameterisation (Theory/MeanField.cs).</summary>
    public static ExperimentSpec WithSigmaW2(this ExperimentSpec spec, double sigmaW2) =>
        spec with { Init = Initialization.Normal, SigmaW2 = sigmaW2 };
}
