using Experiments.Models;
using Experiments.Records;
using static TorchSharp.torch;

namespace Experiments.Diagnostics;

/// <summary>
/// Measures every <see cref="Metric"/> of an <see cref="Mlp"/>'s layers: after a backward pass, and after an optimizer
/// step. The metrics read each layer's gradients, δ and output in place (<see cref="Reductions"/>), so
/// tracking runs no libtorch operation (only the calls that find each tensor's memory) and makes no tensor. Call within
/// the batch's dispose scope, on a model whose parameters are flat (<see cref="Mlp.Flatten"/>). A step is measured by the
/// optimizer itself, in its update's pass: give it <see cref="Changes"/>, then call <see cref="MeasureUpdates"/>.
/// </summary>
public sealed class GradientTracker : IGradientTracker
{
    readonly Mlp model;
    readonly ActivationFunction activation;
    readonly FlatParameters flat;
    readonly IReadOnlyList<(int Weight, int Bias)> segments; // of each layer, in the flat buffers
    readonly (double Change, double Weights)[] stepSquares;
    static readonly Metric[] AfterBackwardMetrics = Metric.All.Where(m => m.Timing == MetricTiming.AfterBackward).ToArray();
    static readonly Metric[] AfterStepMetrics = Metric.All.Where(m => m.Timing == MetricTiming.AfterStep).ToArray();

    public GradientTracker(Mlp model)
    {
        this.model = model;
        var flat = model.Flat ?? throw new InvalidOperationException("the model's parameters are not flat: call Flatten first");
        activation = ActivationFunction.Of(model.Options.Activation);
        this.flat = flat;
        segments = model.Linears.Select(linear => (flat.IndexOf(linear.weight!), flat.IndexOf(linear.bias!))).ToList();
        Changes = new StepChanges(flat, model.Linears.Select(linear => linear.weight!));
        stepSquares = new (double, double)[segments.Count];
        model.KeepActivations = true;
        Layers = model.Linears.Select((linear, l) => new LayerShape(
            l < model.Options.Depth ? LayerRecord.Hidden : LayerRecord.Output,
            (int)linear.weight!.shape[1], (int)linear.weight.shape[0])).ToList();
    }

    public IReadOnlyList<LayerShape> Layers { get; }

    /// <summary>The metrics read after backward: gradient norms, δ, and the activation's health.</summary>
    public StepMeasurement MeasureGradients()
    {
        Changes.Forget(); // a new step: no report of an earlier one may remain
        return Measure(afterStep: false);
    }

    /// <summary>What the optimizer step reports for the metrics after it: each layer's Σ(ΔW)² and Σw² before the step.</summary>
    public StepChanges Changes { get; }

    /// <summary>The metrics read after the step, such as ‖ΔW‖/‖W‖, from what the step reported in <see cref="Changes"/>.</summary>
    public StepMeasurement MeasureUpdates()
    {
        for (int l = 0; l < segments.Count; l++) stepSquares[l] = Changes.Take(segments[l].Weight);
        return Measure(afterStep: true);
    }

    Tensor Delta(int layer) => layer < model.Deltas.Count ? model.Deltas[layer] : throw new InvalidOperationException("no δ: call the model's Backward first");

    StepMeasurement Measure(bool afterStep)
    {
        var metrics = afterStep ? AfterStepMetrics : AfterBackwardMetrics;
        var values = new List<(int Layer, Metric Metric, double Value)>(segments.Count * metrics.Length); // at most one a layer and metric
        // Layer by layer, input side first, metrics in their order: the first non-finite value names where divergence began.
        for (int l = 0; l < segments.Count; l++)
        {
            bool hidden = l < model.Options.Depth;
            var view = new LayerView
            {
                Activation = activation, Parameters = flat, Segments = segments[l], PreActivationGradient = Delta(l),
                Output = hidden ? model.Activations[l] : null, Step = afterStep ? stepSquares[l] : null,
            };
            foreach (var metric in metrics)
                if ((hidden || metric.Scope == MetricScope.EveryLayer) && metric.Measure(view) is { } value) values.Add((l, metric, value));
        }
        return new StepMeasurement(values);
    }
}
