using Experiments.Models;
using Experiments.Records;
using static TorchSharp.torch;

namespace Experiments.Diagnostics;

/// <summary>
/// Measures a <see cref="RecurrentNet"/> through time. Its rows are the time steps 1..T, each with ‖δ_t‖ = ‖∂L/∂h_t‖ (the
/// total gradient of the hidden state, through every later step), the vanilla RNN's saturation or dead units and the gated
/// cells' mean keep gate; then the three weight matrices (input W_ih, recurrent W_hh, read-out), each with its gradient
/// norms and update ratio, and W_hh with its spectral norm (sampled: <see cref="SpectralNormEvery"/>). A weight shared by
/// every step has one gradient, the sum over the steps, so the time steps carry no weight metric. Like
/// <see cref="GradientTracker"/>, it reads the tensors in place.
/// </summary>
public sealed class RecurrentTracker : IGradientTracker
{
    readonly RecurrentNet model;
    readonly ActivationFunction activation;
    readonly FlatParameters flat;
    readonly (int Weight, int Bias)[] segments; // input, recurrent, read-out
    readonly (double Change, double Weights)[] stepSquares;
    static readonly Metric[] AfterBackwardMetrics = Metric.All.Where(m => m.Timing == MetricTiming.AfterBackward).ToArray();
    static readonly Metric[] AfterStepMetrics = Metric.All.Where(m => m.Timing == MetricTiming.AfterStep).ToArray();
    static readonly string[] WeightKinds = [LayerRecord.Input, LayerRecord.RecurrentWeights, LayerRecord.Output];
    int measurements; // of the gradients, this epoch

    /// <summary>‖W_hh‖₂ is taken at each epoch's first step and every this many steps after: an exact SVD costs about 2 ms,
    /// 12% of a vanilla RNN's step at 128 units, and W_hh moves little from one step to the next. An epoch's summary is
    /// over the steps it was taken at.</summary>
    public const int SpectralNormEvery = 25;

    public void BeginEpoch() => measurements = 0;

    public RecurrentTracker(RecurrentNet model)
    {
        this.model = model;
        flat = model.Flat ?? throw new InvalidOperationException("the model's parameters are not flat: call Flatten first");
        activation = ActivationFunction.Of(model.Options.Activation);
        segments = model.Layers.Select(linear => (flat.IndexOf(linear.weight!), flat.IndexOf(linear.bias!))).ToArray();
        Changes = new StepChanges(flat, model.Layers.Select(linear => linear.weight!));
        stepSquares = new (double, double)[segments.Length];
        model.KeepActivations = true;
        var o = model.Options;
        Layers = Enumerable.Range(0, o.Steps).Select(_ => new LayerShape(LayerRecord.TimeStep, o.InputsPerStep, o.Hidden))
            .Concat(model.Layers.Select((linear, i) => new LayerShape(WeightKinds[i], (int)linear.weight!.shape[1], (int)linear.weight.shape[0])))
            .ToList();
    }

    public IReadOnlyList<LayerShape> Layers { get; }
    public StepChanges Changes { get; }

    public StepMeasurement MeasureGradients()
    {
        Changes.Forget();
        return Measure(afterStep: false);
    }

    public StepMeasurement MeasureUpdates()
    {
        for (int w = 0; w < segments.Length; w++) stepSquares[w] = Changes.Take(segments[w].Weight);
        return Measure(afterStep: true);
    }

    StepMeasurement Measure(bool afterStep)
    {
        bool spectral = !afterStep && measurements++ % SpectralNormEvery == 0;
        var metrics = afterStep ? AfterStepMetrics : AfterBackwardMetrics;
        int steps = model.Options.Steps;
        if (model.Deltas.Count < steps) throw new InvalidOperationException("no δ: call the model's Backward first");
        var values = new List<(int Layer, Metric Metric, double Value)>((steps + segments.Length) * metrics.Length);
        bool gated = model.Options.Kind != ModelKind.Rnn;
        // First step first, then the weights: the first non-finite value names where divergence began.
        for (int t = 0; t < steps && !afterStep; t++)
            Add(values, metrics, t, new LayerView
            {
                Activation = activation, Parameters = flat, Segments = null, PreActivationGradient = model.Deltas[t],
                Output = gated ? null : model.States[t], KeepGate = gated ? model.KeepGates[t] : null,
            });
        for (int w = 0; w < segments.Length; w++)
            Add(values, metrics, steps + w, new LayerView
            {
                Activation = activation, Parameters = flat, Segments = segments[w], PreActivationGradient = null, Output = null,
                Matrix = w == 1 && spectral ? model.Recurrent.weight : null, Step = afterStep ? stepSquares[w] : null,
            });
        return new StepMeasurement(values);
    }

    static void Add(List<(int, Metric, double)> values, Metric[] metrics, int row, LayerView view)
    {
        foreach (var metric in metrics)
            if (metric.Measure(view) is { } value) values.Add((row, metric, value));
    }
}
