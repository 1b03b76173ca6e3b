using Experiments.Models;
using Experiments.Records;
using static TorchSharp.torch;

namespace Experiments.Diagnostics;

/// <summary>
/// Measures every <see cref="Metric"/> of an <see cref="Mlp"/>'s layers: after a backward pass, and around an optimizer
/// step. Metrics reduce over the flat parameter buffers and stacked per-layer tensors (<see cref="NetworkView"/>), and all
/// of a step's values are gathered into one tensor and read once, so tracking costs a few dozen native calls a step
/// whatever the depth. Call within the batch's dispose scope, on a model whose parameters are flat (<see cref="Mlp.Flatten"/>).
/// </summary>
public sealed class GradientTracker : IDisposable
{
    readonly Mlp model;
    readonly ActivationFunction activation;
    readonly Tensor before;
    readonly RunViews weights, weightGradients, biasGradients, weightsBefore;

    public GradientTracker(Mlp model)
    {
        this.model = model;
        var flat = model.Flat ?? throw new InvalidOperationException("the model's parameters are not flat: call Flatten first");
        activation = ActivationFunction.Of(model.Options.Activation);
        var weightRuns = NetworkView.Runs(flat, model.Linears.Select(l => l.weight!));
        before = zeros_like(flat.Values).DetachFromDisposeScope();
        weights = new RunViews(flat.Values, weightRuns);
        weightGradients = new RunViews(flat.Gradients, weightRuns);
        biasGradients = new RunViews(flat.Gradients, NetworkView.Runs(flat, model.Linears.Select(l => l.bias!)));
        weightsBefore = new RunViews(before, weightRuns);
        model.KeepActivations = true;
        Layers = model.Linears.Select((linear, l) => new LayerShape(
            l < model.Options.Depth ? LayerRecord.Hidden : LayerRecord.Output,
            (int)linear.weight!.shape[1], (int)linear.weight.shape[0])).ToList();
    }

    public IReadOnlyList<LayerShape> Layers { get; }

    /// <summary>The metrics read after backward: gradient norms, δ, and the activation's health.</summary>
    public StepMeasurement MeasureGradients() => Measure(MetricTiming.AfterBackward, previous: null);

    /// <summary>Keeps a copy of the parameters before a step, for <see cref="MeasureUpdates"/> (one copy into a buffer kept
    /// for the purpose).</summary>
    public void CaptureParameters()
    {
        using var _ = no_grad();
        before.copy_(model.Flat!.Values);
    }

    /// <summary>The metrics read after the step, such as ‖ΔW‖/‖W‖, against the parameters captured before it.</summary>
    public StepMeasurement MeasureUpdates()
    {
        using var _ = no_grad();
        return Measure(MetricTiming.AfterStep, weightsBefore);
    }

    StepMeasurement Measure(MetricTiming timing, RunViews? previous)
    {
        var deltas = model.PreActivations.Select(h => h.grad ?? throw new InvalidOperationException("no gradient: call backward first")).ToList();
        var view = new NetworkView(weights, weightGradients, biasGradients, deltas, model.Activations, activation, previous);
        var measured = new List<(Metric Metric, Tensor Values)>();
        foreach (var metric in Metric.All.Where(m => m.Timing == timing))
            if (metric.Measure(view) is { } values) measured.Add((metric, values));
        using var all = cat(measured.Select(m => m.Values).ToList()).to(float64); // one conversion and one read for the whole step
        double[] numbers = all.data<double>().ToArray();

        var entries = new List<(int Layer, Metric Metric, double Value)>();
        int next = 0;
        foreach (var (metric, _) in measured)
        {
            int layers = metric.Scope == MetricScope.HiddenLayers ? model.Options.Depth : Layers.Count;
            for (int l = 0; l < layers; l++) entries.Add((l, metric, numbers[next++]));
        }
        // Layer by layer, input side first, metrics in their order: the first non-finite value names where divergence began.
        var order = Metric.All.Select((m, i) => (m, i)).ToDictionary(p => p.m, p => p.i);
        return new StepMeasurement(entries.OrderBy(e => e.Layer).ThenBy(e => order[e.Metric]).ToList());
    }

    public void Dispose()
    {
        foreach (var views in new[] { weights, weightGradients, biasGradients, weightsBefore }) views.Dispose();
        before.Dispose();
    }
}
