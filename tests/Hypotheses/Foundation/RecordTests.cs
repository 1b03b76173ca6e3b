using Experiments.Diagnostics;
using Experiments.Records;
using Experiments.Training;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;
using TorchSharp;

namespace Hypotheses.Foundation;

[TestFixture, Category("Foundation")]
public class RecordTests
{
    static readonly ExperimentSpec Small = new() { Samples = 600, Depth = 4, Width = 32, Epochs = 2, BatchSize = 50 };

    [Test(Description = "Two runs of one spec give bit-identical records")]
    public void Reruns_are_bit_identical()
    {
        string first = RecordJson.Serialize(Trainer.Run(Small));
        string second = RecordJson.Serialize(Trainer.Run(Small));
        second.Should().Be(first);
    }

    [Test(Description = "Runs in parallel give the same records as one after the other")]
    public async Task Parallel_runs_match_sequential_runs()
    {
        var specs = new[] { Small with { Seed = 2 }, Small with { Seed = 3, Activation = Experiments.Models.Activation.Sigmoid } };
        var sequential = specs.Select(s => RecordJson.Serialize(Trainer.Run(s))).ToList();

        var parallel = await Task.WhenAll(specs.Select(s => Task.Run(() => RecordJson.Serialize(Trainer.Run(s)))));

        parallel.Should().Equal(sequential);
        sequential[0].Should().NotBe(sequential[1]);
    }

    [Test(Description = "A precision other than float32 shows in the label and the file name, so runs of both never share files")]
    public void Float64_is_named_in_label_and_file_name()
    {
        var float64 = new ExperimentSpec { Depth = 20, Precision = Precision.Float64 };

        float64.FileName().Should().Be("relu-d20-float64");
        float64.Label.Should().Be("relu, 20 hidden × 128, glorot-uniform, float64");
        (float64 with { Precision = Precision.Float32 }).FileName().Should().Be("relu-d20");
    }

    [Test(Description = "JSON round trip is lossless, including non-finite values")]
    public void Json_round_trip_is_lossless()
    {
        var record = Trainer.Run(Small with { Epochs = 1 });
        var layers = record.Final.Layers.ToList();
        layers[0] = layers[0] with
        {
            Metrics = new Dictionary<string, MetricSummary>(layers[0].Metrics)
            {
                [Metric.WeightGradNorm] = new(double.NaN, double.NegativeInfinity, double.PositiveInfinity),
            },
        };
        var withNonFinite = record with { Epochs = [record.Initial, record.Final with { Layers = layers }] };

        string json = RecordJson.Serialize(withNonFinite);
        var back = RecordJson.Deserialize(json, "test");

        RecordJson.Serialize(back).Should().Be(json);
        back.Final.Layers[0].Metrics[Metric.WeightGradNorm].Max.Should().Be(double.PositiveInfinity);
        back.Final.Layers[1].Metrics[Metric.DeltaNorm].Mean.Should().Be(record.Final.Layers[1].Metrics[Metric.DeltaNorm].Mean);
        back.Spec.Should().Be(record.Spec);
        back.Spec.Id.Should().Be(record.SpecId);
        back.Prediction!.LogDeltaProfile.Should().Equal(record.Prediction!.LogDeltaProfile);
    }

    [Test(Description = "A record of another schema is refused with a message that names it and says what to do")]
    public void A_record_of_an_older_schema_is_refused()
    {
        string json = RecordJson.Serialize(Trainer.Run(Small with { Epochs = 0 }));
        string older = json.Replace($"\"schemaVersion\": {RunRecord.CurrentSchema}", "\"schemaVersion\": 1");
        older.Should().NotBe(json);

        var refusal = () => RecordJson.Deserialize(older, "runs/old/relu-d5.json");
        refusal.Should().Throw<InvalidDataException>().WithMessage("runs/old/relu-d5.json: a run record of schema 1;*run its spec again");
    }

    [Test(Description = "A dispose scope per batch: the number of live tensors does not grow over epochs")]
    public void Live_tensors_stay_flat_over_epochs()
    {
        var liveAfterEpoch = new List<long>();
        Trainer.Run(Small with { Epochs = 5 }, onEpoch: _ => liveAfterEpoch.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount));

        // Epoch 1 creates the optimizer's state; from then on every tensor of a step must be freed.
        liveAfterEpoch.Skip(1).Should().AllBeEquivalentTo(liveAfterEpoch[1],
            $"live tensors after epochs 0..5 were {string.Join(", ", liveAfterEpoch)}");
    }

    [Test(Description = "Cancelled before training: the record still has epoch 0, is marked incomplete, and its figures render")]
    public void A_run_cancelled_at_once_keeps_epoch_zero_and_renders()
    {
        var record = Trainer.Run(Small with { Epochs = 3 }, cancel: new CancellationToken(canceled: true));

        record.Epochs.Should().ContainSingle().Which.Epoch.Should().Be(0);
        record.Complete.Should().BeFalse();
        using var folder = new TempFolder("figures-");
        var (figures, warnings) = Experiments.Plotting.FigureSet.WriteAll([record], folder.Path);
        warnings.Should().BeEmpty();
        figures.Should().OnlyContain(f => new FileInfo(Path.Combine(folder.Path, f)).Length > 10_000);
        Experiments.Reporting.ReportWriter.Write("r", [record], figures, verdicts: null).Should().Contain("did not complete");
        Experiments.Reporting.LayerTable.Format(record).Should().Contain("incomplete (interrupted)");
    }

    [Test]
    public void Spec_id_is_stable_and_changes_with_the_spec()
    {
        Small.Id.Should().Be((Small with { }).Id).And.HaveLength(12);
        (Small with { Seed = 9 }).Id.Should().NotBe(Small.Id);
    }

    [Test]
    public void Epoch_zero_is_measured_before_any_update()
    {
        var record = Trainer.Run(Small with { Epochs = 1 });
        record.Initial.Epoch.Should().Be(0);
        record.Initial.Steps.Should().Be(Small.InitBatches);
        record.Initial.Layers.Should().OnlyContain(l => !l.Metrics.ContainsKey(Metric.UpdateRatio));
        record.Final.Layers.Should().OnlyContain(l => l.Metrics[Metric.UpdateRatio].Mean > 0);
        record.Complete.Should().BeTrue();
    }
}
