using Experiments.Models;
using Experiments.Records;
using static TorchSharp.torch;

namespace Experiments.Diagnostics;

/// <summary>
/// Measures every <see cref="Metric"/> of an <see cref="Mlp"/>'s layers: after a backward pass, and around an optimizer
/// step. Every value of a step is gathered into one tensor and read once, so tracking costs one native read per step,
/// not one per number. Call within the batch's dispose scope.
/// </summary>
public sealed class GradientTracker
{
    readonly Mlp model;
    readonly ActivationFunction activation;

    public GradientTracker(Mlp model)
    {
        this.model = model;
        activation = ActivationFunction.Of(model.Options.Activation);
        model.KeepActivations = true;
        Layers = model.Linears.Select((linear, l) => new LayerShape(
            l < model.Options.Depth ? LayerRecord.Hidden : LayerRecord.Output,
            (int)linear.weight!.shape[1], (int)linear.weight.shape[0])).ToList();
    }

    public IReadOnlyList<LayerShape> Layers { get; }

    /// <summary>The metrics read after backward: gradient norms, δ, and the activation's health.</summary>
    public StepMeasurement MeasureGradients() => Measure(MetricTiming.AfterBackward, before: null);

    /// <summary>Copies of the weights before a step, for <see cref="MeasureUpdates"/>.</summary>
    public IReadOnlyList<Tensor> CaptureWeights()
    {
        using var _ = no_grad();
        return model.Linears.Select(linear => linear.weight!.detach().clone()).ToList();
    }

    /// <summary>The metrics read after the step, such as ‖ΔW‖/‖W‖, given the weights from before it.</summary>
    public StepMeasurement MeasureUpdates(IReadOnlyList<Tensor> before)
    {
        using var _ = no_grad();
        return Measure(MetricTiming.AfterStep, before);
    }

    StepMeasurement Measure(MetricTiming timing, IReadOnlyList<Tensor>? before)
    {
        var keys = new List<(int, Metric)>();
        var scalars = new List<Tensor>();
        for (int l = 0; l < Layers.Count; l++)
        {
            var delta = model.PreActivations[l].grad ?? throw new InvalidOperationException("no gradient: call backward first");
            var view = new LayerView(model.Linears[l], delta, l < model.Activations.Count ? model.Activations[l] : null, activation,
                before?[l]);
            foreach (var metric in Metric.All.Where(m => m.Timing == timing))
                if (metric.Measure(view) is { } value)
                {
                    keys.Add((l, metric));
                    scalars.Add(value);
                }
        }
        using var stacked = stack(scalars).to(float64); // one conversion and one read for the whole step
        double[] numbers = stacked.data<double>().ToArray();
        return new StepMeasurement(keys.Select((k, i) => (k.Item1, k.Item2, numbers[i])).ToList());
    }
}
