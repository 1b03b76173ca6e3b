using Experiments.Models;

namespace Experiments.Diagnostics;

/// <summary>What training asks of a tracker, whatever the model: the rows it records (an MLP's layers, a recurrent net's
/// time steps and weights), the metrics after backward, and those after the optimizer step, which the step reports in
/// <see cref="Changes"/>.</summary>
public interface IGradientTracker
{
    IReadOnlyList<LayerShape> Layers { get; }
    StepMeasurement MeasureGradients();
    StepChanges Changes { get; }
    StepMeasurement MeasureUpdates();

    /// <summary>A new epoch starts: a tracker that samples a costly metric every so many steps starts over.</summary>
    void BeginEpoch() { }

    /// <summary>The tracker for <paramref name="model"/>'s architecture.</summary>
    static IGradientTracker For(TrackedModel model) => model switch
    {
        Mlp mlp => new GradientTracker(mlp),
        RecurrentNet net => new RecurrentTracker(net),
        _ => throw new ArgumentException($"no tracker for {model.GetType().Name}", nameof(model)),
    };
}
