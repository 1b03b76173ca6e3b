using Experiments.Models;
using static TorchSharp.torch;

namespace Experiments.Diagnostics;

/// <summary>
/// Measures an <see cref="Mlp"/>'s per-layer gradients after a backward pass, and its relative weight updates
/// around an optimizer step. Every value of a step is gathered into one tensor and read once, so tracking
/// costs one native read per step, not one per number. Call within the batch's dispose scope.
/// </summary>
public sealed class GradientTracker
{
    readonly Mlp model;

    public GradientTracker(Mlp model)
    {
        this.model = model;
        model.KeepActivations = true;
        Layers = model.Linears.Select((linear, l) => new LayerShape(
            l < model.Options.Depth ? LayerRecord.Hidden : LayerRecord.Output,
            (int)linear.weight!.shape[1], (int)linear.weight.shape[0])).ToList();
    }

    public IReadOnlyList<LayerShape> Layers { get; }

    /// <summary>Gradient metrics of the last backward pass (weight and bias norms, mean |g|, δ, saturation, dead units).</summary>
    public StepMeasurement MeasureGradients()
    {
        var keys = new List<(int, string)>();
        var scalars = new List<Tensor>();
        void Put(int layer, string metric, Tensor value) { keys.Add((layer, metric)); scalars.Add(value); }

        for (int l = 0; l < Layers.Count; l++)
        {
            var linear = model.Linears[l];
            var weightGrad = linear.weight!.grad ?? throw new InvalidOperationException("no gradient: call backward first");
            Put(l, Metric.WeightGradNorm, weightGrad.norm());
            Put(l, Metric.BiasGradNorm, linear.bias!.grad!.norm());
            Put(l, Metric.WeightGradMeanAbs, weightGrad.abs().mean());
            Put(l, Metric.DeltaNorm, model.PreActivations[l].grad!.norm());
            if (l < model.Activations.Count) PutActivationHealth(l, model.Activations[l], Put);
        }
        return Read(keys, scalars);
    }

    void PutActivationHealth(int layer, Tensor output, Action<int, string, Tensor> put)
    {
        var dtype = output.dtype;
        switch (model.Options.Activation)
        {
            case Activation.Sigmoid:
                put(layer, Metric.Saturation, output.lt(Scalars.SaturationLow).logical_or(output.gt(Scalars.SaturationHigh)).to(dtype).mean());
                break;
            case Activation.Tanh:
                put(layer, Metric.Saturation, output.abs().gt(Scalars.SaturationHigh).to(dtype).mean());
                break;
            case Activation.Relu or Activation.LeakyRelu:
                put(layer, Metric.DeadFraction, output.le(Scalars.Zero).all(0).to(dtype).mean());
                break;
        }
    }

    /// <summary>Copies of the weights before a step, for <see cref="MeasureUpdates"/>.</summary>
    public IReadOnlyList<Tensor> CaptureWeights()
    {
        using var _ = no_grad();
        return model.Linears.Select(linear => linear.weight!.detach().clone()).ToList();
    }

    /// <summary>‖W_after − W_before‖ / ‖W_before‖ per layer.</summary>
    public StepMeasurement MeasureUpdates(IReadOnlyList<Tensor> before)
    {
        using var _ = no_grad();
        var scalars = model.Linears.Select((linear, l) =>
            (linear.weight!.detach() - before[l]).norm().div(before[l].norm())).ToList();
        return Read(Enumerable.Range(0, scalars.Count).Select(l => (l, Metric.UpdateRatio)).ToList(), scalars);
    }

    static StepMeasurement Read(List<(int Layer, string Metric)> keys, List<Tensor> scalars)
    {
        using var stacked = stack(scalars).to(float64); // one conversion and one read for the whole step
        double[] numbers = stacked.data<double>().ToArray();
        return new StepMeasurement(keys.Select((k, i) => (k.Layer, k.Metric, numbers[i])).ToList());
    }
}
