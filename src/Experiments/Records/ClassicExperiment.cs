using Experiments.Models;

namespace Experiments.Records;

/// <summary>
/// The classic experiment's grid, in one place for the command line's defaults, the snapshots and the tests: shallow
/// (5 hidden layers) and deep (20), sigmoid and ReLU, in the order the job runs them and the overview shows them.
/// </summary>
public static class ClassicExperiment
{
    public static readonly IReadOnlyList<int> Depths = [5, 20];
    public static readonly IReadOnlyList<Activation> Activations = [Activation.Sigmoid, Activation.Relu];

    /// <summary>What every configuration of the main job shares by default: the spec's defaults, trained for 10 epochs.</summary>
    public static readonly ExperimentSpec Template = new() { Epochs = 10 };

    /// <summary>The grid on a template: depth first, then activation (sigmoid-d5, relu-d5, sigmoid-d20, relu-d20).</summary>
    public static IReadOnlyList<ExperimentSpec> Specs(ExperimentSpec template) =>
        (from depth in Depths from activation in Activations select template with { Depth = depth, Activation = activation }).ToList();
}
