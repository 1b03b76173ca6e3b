using Experiments.Diagnostics;
using Experiments.Records;
using Experiments.Training;
using FluentAssertions;
using Hypotheses.Vocabulary;
using NUnit.Framework;

namespace Hypotheses.Foundation;

/// <summary>
/// The hypothesis vocabulary fails on bad data: a measure over epochs or layers gives NaN when any value it reads is NaN
/// (never skips it, as Enumerable.Max does), refuses an empty series, and every assertion fails on NaN, ±∞ and no seeds.
/// </summary>
[TestFixture, Category("Foundation")]
public class VocabularyTests
{
    static RunRecord record = null!;

    [OneTimeSetUp]
    public void TrainOnce() =>
        record = Trainer.Run(new ExperimentSpec { Samples = 300, Depth = 3, Width = 16, Epochs = 3, BatchSize = 50, Seed = 7 });

    /// <summary>The measures that take a worst case over epochs, layers or steps, with the metric each reads.</summary>
    static readonly (string Name, Measure Measure, string Metric)[] WorstCases =
    [
        ("WorstAbsLogRatio", Measure.WorstAbsLogRatio(Metric.DeltaNorm), Metric.DeltaNorm),
        ("MinLogRatio", Measure.MinLogRatio(Metric.DeltaNorm), Metric.DeltaNorm),
        ("MaxLogRatio", Measure.MaxLogRatio(Metric.WeightGradNorm), Metric.WeightGradNorm),
        ("MaxLayerDrift", Measure.MaxLayerDrift(Metric.WeightGradNorm), Metric.WeightGradNorm),
        ("MaxUpdateRatio", Measure.MaxUpdateRatio, Metric.UpdateRatio),
        ("LogSpread", Measure.LogSpread(Metric.DeltaNorm, epoch: 2), Metric.DeltaNorm),
        ("MaxLogSpread", Measure.MaxLogSpread(Metric.WeightGradNorm), Metric.WeightGradNorm),
        ("LogSlope", Measure.LogSlope(Metric.DeltaNorm, epoch: 2), Metric.DeltaNorm),
    ];

    [Test(Description = "Spread and slope over the hidden layers: means 1, 10, 100 span 2 decades at 1 decade per layer")]
    public void Spread_and_slope_read_every_hidden_layer()
    {
        var epochs = record.Epochs.ToList();
        var layers = epochs[1].Layers.ToList();
        for (int l = 0; l < 3; l++)
            layers[l] = layers[l] with { Metrics = new Dictionary<string, MetricSummary>(layers[l].Metrics) { [Metric.DeltaNorm] = new(Math.Pow(10, l), 0, 0) } };
        epochs[1] = epochs[1] with { Layers = layers };
        var levelled = record with { Epochs = epochs };
        Measure.LogSpread(Metric.DeltaNorm, epoch: 1).Read(levelled).Should().BeApproximately(2, 1e-12);
        Measure.LogSlope(Metric.DeltaNorm, epoch: 1).Read(levelled).Should().BeApproximately(1, 1e-12);
        Measure.MaxLogSpread(Metric.DeltaNorm).Read(levelled).Should().BeGreaterThanOrEqualTo(2 - 1e-12);
    }

    static IEnumerable<TestCaseData> EachWorstCase() => WorstCases.Select((c, i) => new TestCaseData(i).SetArgDisplayNames(c.Name));

    [TestCaseSource(nameof(EachWorstCase))]
    public void A_worst_case_measure_is_NaN_when_one_epoch_is_NaN(int index)
    {
        var (_, measure, metric) = WorstCases[index];
        double.IsFinite(measure.Read(record)).Should().BeTrue("the record as trained is finite");

        // Epoch 2's first layer: a mean for the log ratios, the step maximum for the update ratio.
        measure.Read(WithValue(record, epoch: 2, metric, double.NaN)).Should().Be(double.NaN);
    }

    [Test]
    public void A_measure_over_training_epochs_refuses_a_record_with_none()
    {
        var initialisationOnly = record with { Epochs = [record.Initial] };
        var read = () => Measure.MaxUpdateRatio.Read(initialisationOnly);
        read.Should().Throw<InvalidOperationException>().WithMessage("*no value to measure*");
        var oneEpoch = record with { Epochs = [record.Initial, record.Epochs[1]] };
        read = () => Measure.MaxLayerDrift(Metric.WeightGradNorm).Read(oneEpoch);
        read.Should().Throw<InvalidOperationException>("drift is measured from epoch 1 to later epochs, and there are none");
    }

    [Test]
    public void A_sample_with_NaN_has_NaN_extremes_and_median()
    {
        var sample = Of(1.0, double.NaN, 3.0);
        sample.Max.Should().Be(double.NaN);
        sample.Min.Should().Be(double.NaN);
        sample.Median.Should().Be(double.NaN);
    }

    [TestCase(double.NaN), TestCase(double.PositiveInfinity), TestCase(double.NegativeInfinity)]
    public void Every_assertion_fails_on_a_non_finite_value(double bad)
    {
        using var _ = Verdicts.Off();
        var sample = Of(0.0, bad, 0.5);
        Claim claim = new("a made-up claim", "the vocabulary's own test");
        Fails(() => sample.ShouldAllBeBelow(10, claim, "holds"));
        Fails(() => sample.ShouldAllBeAbove(-10, claim, "holds"));
        Fails(() => sample.ShouldAllBeBetween(-10, 10, claim, "holds"));
        Fails(() => sample.ShouldAllExceed(Of(-100, -90), 1, claim, "holds"));
        Fails(() => Of(100, 90).ShouldAllExceed(sample, 1, claim, "holds"), "the values compared with hold a non-finite one");
        Of(0.0, 0.5).ShouldAllBeBetween(-10, 10, claim, "holds"); // the same assertions pass on finite values
        Of(100, 90).ShouldAllExceed(Of(0.0, 0.5), 1, claim, "holds");
    }

    [Test]
    public void Every_assertion_fails_on_no_seeds()
    {
        using var _ = Verdicts.Off();
        Claim claim = new("a made-up claim", "the vocabulary's own test");
        Fails(() => Of().ShouldAllBeBelow(10, claim, "holds"));
        Fails(() => Of().ShouldAllBeBetween(-10, 10, claim, "holds"));
        Fails(() => Of(5).ShouldAllExceed(Of(), 1, claim, "holds"));
    }

    static void Fails(Action assertion, string because = "")
    {
        // FluentAssertions fails with NUnit's AssertionException; an empty comparison sample fails earlier, reading its extremes.
        assertion.Should().Throw<Exception>(because).Which.Should().Match(e => e is AssertionException || e is InvalidOperationException);
    }

    static Measured Of(params double[] values) =>
        new(record.Spec, new Measure("a made-up measure", _ => double.NaN), values);

    static RunRecord WithValue(RunRecord source, int epoch, string metric, double value)
    {
        var epochs = source.Epochs.ToList();
        var layers = epochs[epoch].Layers.ToList();
        var summary = layers[0].Metrics[metric];
        layers[0] = layers[0] with
        {
            Metrics = new Dictionary<string, MetricSummary>(layers[0].Metrics) { [metric] = summary with { Mean = value, Max = value } },
        };
        epochs[epoch] = epochs[epoch] with { Layers = layers };
        return source with { Epochs = epochs };
    }
}
