using Experiments.Diagnostics;
using Experiments.Models;
using Experiments.Records;
using Experiments.Training;
using FluentAssertions;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Hypotheses.Foundation;

/// <summary>
/// The fused metrics (reductions over flat buffers and stacked layers) against the plain per-layer computation each one
/// stands for, written here with separate TorchSharp calls on the model's own tensors, in float64.
/// </summary>
[TestFixture, Category("Foundation")]
public class MetricOracleTests
{
    const double Tolerance = 1e-12; // relative: float64 sums in another order differ by round-off (about 1e-16 per term)

    [TestCase(Activation.Sigmoid)]
    [TestCase(Activation.Tanh)]
    [TestCase(Activation.Relu)]
    public void Every_metric_equals_its_per_layer_computation(Activation activation)
    {
        var spec = new ExperimentSpec { Depth = 4, Width = 16, Activation = activation, Precision = Precision.Float64,
            Init = Initialization.Normal, SigmaW2 = 4, Optimizer = OptimizerKind.Sgd, LearningRate = 0.1 };
        using var generator = new Generator(5, CPU);
        using var model = Trainer.BuildModel(spec, 12, float64, generator);
        using var optimizer = Trainer.CreateOptimizer(spec, model);
        using var tracker = new GradientTracker(model);
        using var scope = NewDisposeScope();
        var x = randn(32, 12, float64, generator: generator);
        var y = randint(0, 10, [32], generator: generator);

        optimizer.ZeroGrad();
        nn.functional.cross_entropy(model.forward(x), y).backward();
        var gradients = tracker.MeasureGradients();
        var weightsBefore = model.Linears.Select(l => l.weight!.detach().clone()).ToList();
        tracker.CaptureParameters();
        optimizer.Step();
        var updates = tracker.MeasureUpdates();

        for (int l = 0; l < model.Linears.Count; l++)
        {
            var linear = model.Linears[l];
            Same(gradients.Get(l, Metric.WeightGradMeanAbs), linear.weight!.grad!.abs().mean(), l, "mean |∂L/∂W|");
            Same(gradients.Get(l, Metric.BiasGradNorm), linear.bias!.grad!.norm(), l, "‖∂L/∂b‖");
            Same(updates.Get(l, Metric.UpdateRatio), (linear.weight.detach() - weightsBefore[l]).norm() / weightsBefore[l].norm(), l, "‖ΔW‖/‖W‖");
            if (l == spec.Depth) continue; // the read-out has no activation
            var output = model.Activations[l];
            if (activation == Activation.Relu)
                Same(gradients.Get(l, Metric.DeadFraction), output.le(0).all(0).to(float64).mean(), l, "dead units");
            else
            {
                var saturated = activation == Activation.Sigmoid ? output.lt(0.01).logical_or(output.gt(0.99)) : output.abs().gt(0.99);
                Same(gradients.Get(l, Metric.Saturation), saturated.to(float64).mean(), l, "saturated share");
            }
        }
        // σ_w² = 4 saturates sigmoid and tanh units and kills ReLU ones: the health metrics are compared on non-zero values.
        var health = activation == Activation.Relu ? Metric.DeadFraction : Metric.Saturation;
        Enumerable.Range(0, spec.Depth).Max(l => gradients.Get(l, health)).Should().BeGreaterThan(0);
    }

    static void Same(double measured, Tensor oracle, int layer, string what)
    {
        double expected = oracle.item<double>();
        measured.Should().BeApproximately(expected, Tolerance * Math.Abs(expected), $"layer {layer + 1}: {what}");
    }
}
