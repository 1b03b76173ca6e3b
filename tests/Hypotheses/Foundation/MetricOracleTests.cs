using Experiments.Diagnostics;
using Experiments.Models;
using Experiments.Records;
using Experiments.Training;
using FluentAssertions;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Hypotheses.Foundation;

/// <summary>
/// The tracker's metrics (sums over the tensors' memory in place) against the plain per-layer computation each one stands
/// for, written here with TorchSharp calls on the model's own tensors, in float64, over two steps of float32 and float64
/// training.
/// </summary>
[TestFixture, Category("Foundation")]
public class MetricOracleTests
{
    [TestCase(Activation.Sigmoid, Precision.Float64, OptimizerKind.Sgd)]
    [TestCase(Activation.Tanh, Precision.Float64, OptimizerKind.Sgd)]
    [TestCase(Activation.Relu, Precision.Float64, OptimizerKind.Adam)]
    [TestCase(Activation.Sigmoid, Precision.Float32, OptimizerKind.Adam)]
    [TestCase(Activation.Relu, Precision.Float32, OptimizerKind.Sgd)]
    public void Every_metric_equals_its_per_layer_computation(Activation activation, Precision precision, OptimizerKind optimizerKind)
    {
        var spec = new ExperimentSpec { Depth = 4, Width = 16, Activation = activation, Precision = precision,
            Init = Initialization.Normal, SigmaW2 = 4, Optimizer = optimizerKind, LearningRate = 0.1 };
        var dtype = Trainer.DType(spec);
        // Relative. float64: sums in another order differ by round-off (about 1e-16 per term). float32: the tracker sums in
        // float32 within runs of 256 elements, a term meeting at most 19 roundings of 2⁻²⁴ (ReductionsTests), the oracle in float64.
        double tolerance = precision == Precision.Float64 ? 1e-12 : 19 * Math.Pow(2, -24);
        using var generator = new Generator(5, CPU);
        using var model = Trainer.BuildMlp(spec, 12, dtype, generator);
        using var optimizer = Trainer.CreateOptimizer(spec, model);
        var tracker = new GradientTracker(model);

        // Two steps: the optimizer's state (momentum, the step count) is part of the second.
        for (int step = 0; step < 2; step++)
        {
            using var scope = NewDisposeScope();
            var x = randn(32, 12, float64, generator: generator).to(dtype);
            var y = randint(0, 10, [32], generator: generator);
            model.Backward(nn.functional.cross_entropy(model.forward(x), y));
            var gradients = tracker.MeasureGradients();
            var weightsBefore = model.Linears.Select(l => l.weight!.detach().to(float64).clone()).ToList();
            optimizer.Step(tracker.Changes);
            var updates = tracker.MeasureUpdates();

            for (int l = 0; l < model.Linears.Count; l++)
            {
                var linear = model.Linears[l];
                void Same(Metric metric, Tensor oracle, string what) =>
                    MetricOracleTests.Same(gradients.Get(l, metric), oracle, tolerance, $"step {step + 1}, layer {l + 1}: {what}");
                Same(Metric.WeightGradNorm, linear.weight!.grad!.to(float64).norm(), "‖∂L/∂W‖");
                Same(Metric.WeightGradMeanAbs, linear.weight.grad!.to(float64).abs().mean(), "mean |∂L/∂W|");
                Same(Metric.BiasGradNorm, linear.bias!.grad!.to(float64).norm(), "‖∂L/∂b‖");
                Same(Metric.DeltaNorm, model.PreActivations[l].grad!.to(float64).norm(), "‖δ‖");
                MetricOracleTests.Same(updates.Get(l, Metric.UpdateRatio),
                    (linear.weight.detach().to(float64) - weightsBefore[l]).norm() / weightsBefore[l].norm(), tolerance, $"step {step + 1}, layer {l + 1}: ‖ΔW‖/‖W‖");
                if (l == spec.Depth) continue; // the read-out has no activation
                var output = model.Activations[l];
                if (activation == Activation.Relu)
                    MetricOracleTests.Same(gradients.Get(l, Metric.DeadFraction), output.le(tensor(0.0, dtype)).all(0).to(float64).mean(), 0, $"layer {l + 1}: dead units");
                else
                {
                    // The band's definition, |y − c| > m, in the output's precision (float32 rounds |y − ½| near the edge).
                    var (center, margin) = activation == Activation.Sigmoid ? (tensor(0.5, dtype), tensor(0.49, dtype)) : (tensor(0.0, dtype), tensor(0.99, dtype));
                    var saturated = output.sub(center).abs().gt(margin);
                    MetricOracleTests.Same(gradients.Get(l, Metric.Saturation), saturated.to(float64).mean(), 0, $"layer {l + 1}: saturated share");
                }
            }
            // σ_w² = 4 saturates sigmoid and tanh units and kills ReLU ones: the health metrics are compared on non-zero values.
            var health = activation == Activation.Relu ? Metric.DeadFraction : Metric.Saturation;
            Enumerable.Range(0, spec.Depth).Max(l => gradients.Get(l, health)).Should().BeGreaterThan(0);
        }
    }

    static void Same(double measured, Tensor oracle, double tolerance, string what)
    {
        double expected = oracle.item<double>();
        measured.Should().BeApproximately(expected, tolerance * Math.Abs(expected), what);
    }
}
