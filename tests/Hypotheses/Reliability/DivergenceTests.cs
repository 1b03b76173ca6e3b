using Experiments.Diagnostics;
using Experiments.Models;
using Experiments.Records;
using Experiments.Training;
using FluentAssertions;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>A run that diverges keeps its path to divergence: the finite steps of the diverging epoch are its statistics.</summary>
[TestFixture, Category("Reliability")]
public class DivergenceTests
{
    [Test]
    public void The_diverging_epoch_keeps_its_finite_steps()
    {
        // Deep ReLU far in the chaotic phase (σ_w² = 6, χ₁ = 3) with plain SGD: the loss is NaN within a few steps.
        var spec = new ExperimentSpec
        {
            Activation = Activation.Relu, Depth = 20, Init = Initialization.Normal, SigmaW2 = 6, Optimizer = OptimizerKind.Sgd,
            LearningRate = 0.01, Samples = 500, Epochs = 2,
        };
        var record = Trainer.Run(spec);

        record.Divergence.Should().NotBeNull();
        var diverging = record.Epochs.Should().Contain(e => e.Epoch == record.Divergence!.Epoch).Subject;
        diverging.Epoch.Should().BeGreaterThan(0, "this condition diverges after its first update, not at initialisation");
        diverging.Steps.Should().BeGreaterThan(0);
        double.IsFinite(diverging.TrainLoss).Should().BeTrue();
        diverging.Layers.SelectMany(l => l.Metrics.Values).Should()
            .OnlyContain(m => double.IsFinite(m.Mean) && double.IsFinite(m.Min) && double.IsFinite(m.Max),
                "the steps before the first non-finite one are the path to divergence");
        diverging.Layers[0].Metrics.Should().ContainKey(Metric.UpdateRatio);
    }
}
