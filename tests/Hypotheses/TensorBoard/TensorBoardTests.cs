using System.Text;
using Experiments.Cli;
using Experiments.Records;
using Experiments.Training;
using Experiments.Workers;
using FluentAssertions;
using Hypotheses.Reliability;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.TensorBoard;

/// <summary>A job run with --tensorboard writes event files that TensorBoard can read, and they say what the record says.</summary>
[TestFixture, Category("Reliability")]
public class TensorBoardTests
{
    const string Config = "relu-d3";
    /// <summary>Event files hold float32: a value, and a mean of a few dozen of them, agree with the record's float64 to
    /// float32's rounding (2⁻²⁴ ≈ 6e-8 relative per value); 1e-6 leaves room for the sum's own rounding.</summary>
    const double Float32Agreement = 1e-6;

    /// <summary>The tracker's norm is a float32 reduction (the run's precision), the histogram's sum of squares a float64 one
    /// over the same values: they differ by the float32 reduction's rounding, about log₂(n)·2⁻²⁴ ≈ 1e-6 relative for n = 10⁵
    /// weights (pairwise summation); 1e-5 allows ten times that.</summary>
    const double Float32Reduction = 1e-5;

    static TempFolder temp = null!;
    static string run = "";
    static RunRecord record = null!;

    [OneTimeSetUp]
    public static void RunJobWithTensorBoard()
    {
        temp = new TempFolder("tensorboard-");
        var (exitCode, _, error) = CliProcess.Run(TimeSpan.FromMinutes(3), "--depth", "3", "--activation", "relu", "--epochs", "2",
            "--samples", "1000", "--batch", "64", "--tensorboard", "--out", temp.Path);
        exitCode.Should().Be(0, error);
        run = CliRun.RunFolderOf(temp.Path);
        record = RecordJson.Deserialize(File.ReadAllText(Path.Combine(run, Config + ".json")), "record");
    }

    [OneTimeTearDown]
    public static void Delete() => temp.Dispose();

    static string Events(params string[] parts) => Path.Combine([run, JobFiles.TensorBoardFolder, Config, .. parts]);

    static IEnumerable<(long Step, float Value)> Scalars(IReadOnlyList<Event> events, string tag) =>
        events.Where(e => e.Summary != null).SelectMany(e => e.Summary!.Value.Where(v => v.Tag == tag).Select(v => (e.Step, v.SimpleValue)));

    /// <summary>The x of epoch <paramref name="epoch"/>'s first step (≥ 1) and its count of steps: x counts the updates made,
    /// the step's own included, epoch after epoch.</summary>
    static (long First, int Count) StepsOf(int epoch) =>
        (1 + record.Epochs.Where(e => e.Epoch >= 1 && e.Epoch < epoch).Sum(e => (long)e.Steps), record.Epochs.Single(e => e.Epoch == epoch).Steps);

    [Test(Description = "CRC-32C gives the standard check value of \"123456789\" (0xE3069283, RFC 3720 B.4's polynomial)")]
    public void Crc32c_matches_its_check_value() =>
        EventFile.Crc32C(Encoding.ASCII.GetBytes("123456789")).Should().Be(0xE3069283u);

    [Test(Description = "Every event file frames its records with valid CRCs and starts with TensorBoard's file version")]
    public void Event_files_are_well_formed()
    {
        var files = Directory.GetFiles(Path.Combine(run, JobFiles.TensorBoardFolder), "events.out.tfevents.*", SearchOption.AllDirectories);
        files.Should().HaveCount(1 + record.Epochs[0].Layers.Count, "one for the run and one per layer");
        foreach (string file in files) EventFile.Read(file)[0].FileVersion.Should().Be("brain.Event:2", file);
    }

    [Test(Description = "Each layer's per-step ‖∂L/∂W‖, ‖δ‖ and update ratio, epoch by epoch, have the record's mean, min and max")]
    public void Per_layer_scalars_agree_with_the_record()
    {
        foreach (var epoch in record.Epochs.Where(e => e.Epoch >= 1))
        {
            var (first, count) = StepsOf(epoch.Epoch);
            foreach (var layer in epoch.Layers)
            {
                var events = EventFile.ReadFolder(Events(TensorBoardLog.LayerFolder(layer.Layer - 1)));
                foreach (string metric in TensorBoardLog.StepMetrics)
                {
                    var values = Scalars(events, metric).Where(s => s.Step >= first && s.Step < first + count).Select(s => (double)s.Value).ToList();
                    string what = $"{metric}, layer {layer.Layer}, epoch {epoch.Epoch}";
                    values.Should().HaveCount(count, what);
                    var summary = layer.Metrics[metric];
                    values.Average().Should().BeApproximately(summary.Mean, Math.Abs(summary.Mean) * Float32Agreement, what);
                    values.Min().Should().Be((float)summary.Min, what);
                    values.Max().Should().Be((float)summary.Max, what);
                }
            }
        }
    }

    [Test(Description = "Per-step loss and accuracy, weighted by batch size, give the epoch's training loss and accuracy; test values sit at the x of the epoch's last step, before the next epoch's first")]
    public void Loss_and_accuracy_agree_with_the_record()
    {
        var events = EventFile.ReadFolder(Events());
        int trainCount = Trainer.LoadData(record.Spec).Train.Count;
        foreach (var epoch in record.Epochs.Where(e => e.Epoch >= 1))
        {
            var (first, count) = StepsOf(epoch.Epoch);
            double BatchSize(long step) => step < first + count - 1 ? record.Spec.BatchSize : trainCount - (count - 1) * record.Spec.BatchSize;
            double Weighted(string tag) => Scalars(events, tag).Where(s => s.Step >= first && s.Step < first + count)
                .Sum(s => s.Value * BatchSize(s.Step)) / trainCount;
            Weighted(TensorBoardLog.Loss).Should().BeApproximately(epoch.TrainLoss, epoch.TrainLoss * Float32Agreement, $"epoch {epoch.Epoch}");
            Weighted(TensorBoardLog.Accuracy).Should().BeApproximately(epoch.TrainAccuracy, epoch.TrainAccuracy * Float32Agreement, $"epoch {epoch.Epoch}");
            long last = first + count - 1;
            Scalars(events, TensorBoardLog.TestLoss).Should().Contain((last, (float)epoch.TestLoss));
            Scalars(events, TensorBoardLog.TestAccuracy).Should().Contain((last, (float)epoch.TestAccuracy));
            Scalars(events, TensorBoardLog.Loss).Count(s => s.Step == last).Should().Be(1, "that x is this epoch's last step, no other's");
        }
    }

    [Test(Description = "Wall times are Unix seconds with sub-second resolution, in order, the first event's too")]
    public void Wall_times_are_unix_seconds()
    {
        double now = (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;
        foreach (string folder in new[] { Events(), Events(TensorBoardLog.LayerFolder(0)) })
        {
            var times = EventFile.ReadFolder(folder).Select(e => e.WallTime).ToList();
            times.Should().OnlyContain(t => t > now - 3600 && t <= now, "the job ran in this test's set-up, within the hour");
            times.Should().BeInAscendingOrder().And.Contain(t => t != Math.Floor(t), "times have sub-second resolution");
        }
    }

    [Test(Description = "Histograms every k steps: all weights and all δ entries counted, and √(sum of squares) is that step's norm")]
    public void Histograms_agree_with_the_step_norms()
    {
        long steps = record.Epochs.Where(e => e.Epoch >= 1).Sum(e => (long)e.Steps);
        foreach (var layer in record.Epochs[0].Layers)
        {
            var events = EventFile.ReadFolder(Events(TensorBoardLog.LayerFolder(layer.Layer - 1)));
            var histograms = events.Where(e => e.Summary != null).SelectMany(e => e.Summary!.Value.Where(v => v.Histo != null).Select(v => (e.Step, v))).ToList();
            var weightSteps = histograms.Where(h => h.v.Tag == TensorBoardLog.WeightGradHistogram).ToList();
            // Taken before the update of every k-th step (counting from 0), at the x of that update.
            weightSteps.Select(h => h.Step).Should().Equal(Enumerable.Range(0, (int)steps).Where(s => s % TensorBoardLog.HistogramEvery == 0).Select(s => s + 1L));
            var norms = Scalars(events, Experiments.Diagnostics.Metric.WeightGradNorm).ToDictionary(s => s.Step, s => (double)s.Value);
            foreach (var (step, value) in weightSteps)
            {
                value.Histo!.Num.Should().Be(layer.FanIn * layer.FanOut);
                value.Histo.Bucket.Sum().Should().Be(value.Histo.Num, "every weight falls in a bucket");
                Math.Sqrt(value.Histo.SumSquares).Should().BeApproximately(norms[step], norms[step] * Float32Reduction);
            }
            histograms.Where(h => h.v.Tag == TensorBoardLog.DeltaHistogram).Should().HaveSameCount(weightSteps)
                .And.OnlyContain(h => h.v.Histo!.Num % layer.FanOut == 0, "δ has one column per unit");
        }
    }

    [Test(Description = "Writing event files does not change the record: the same spec trained without them gives the same JSON")]
    public void Records_are_the_same_with_and_without_TensorBoard() =>
        RecordJson.Serialize(record).Should().Be(RecordJson.Serialize(RunCache.Get(record.Spec)));
}
