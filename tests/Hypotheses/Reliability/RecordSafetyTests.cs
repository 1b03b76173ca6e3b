using Experiments.Cli;
using Experiments.Diagnostics;
using Experiments.Models;
using Experiments.Records;
using Experiments.Reporting;
using Experiments.Training;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>
/// A record, once complete, is kept: no incomplete record replaces it, no late error or full disk deletes it, and a
/// diverged run is a finished one. The full-disk cases fill a small tmpfs at every write point of a job, in turn.
/// </summary>
[TestFixture, Category("Reliability")]
public class RecordSafetyTests
{
    static readonly string[] SmallJob = ["--depth", "2", "--width", "16", "--activation", "relu", "sigmoid", "--samples", "200", "--epochs", "1"];

    [Test(Description = "An incomplete record (an interrupted job's) never replaces a complete one of the same spec in a results folder")]
    public void A_complete_record_is_never_replaced_by_an_incomplete_one()
    {
        using var temp = new TempFolder("store-");
        var store = new ResultStore(temp.Path);
        var complete = Record(complete: true);
        store.Save(complete).Should().BeTrue();
        store.Save(complete with { Complete = false }).Should().BeFalse("another job finished this spec");
        store.Complete(complete.Spec).Should().NotBeNull();
        Directory.GetFiles(temp.Path).Should().OnlyContain(f => f.EndsWith(".json") || f.EndsWith(".lock"), "no temporary file is left");
        store.Save(Record(complete: false, seed: 2)).Should().BeTrue("an incomplete record is kept where there is nothing better");
    }

    [Test(Description = "Two writers saving records of one spec at once, complete and incomplete, end with the complete one")]
    public void Concurrent_writers_leave_the_complete_record()
    {
        using var temp = new TempFolder("store-");
        var complete = Record(complete: true);
        for (int round = 0; round < 20; round++)
        {
            File.Delete(new ResultStore(temp.Path).PathOf(complete.Spec));
            Parallel.Invoke(() => new ResultStore(temp.Path).Save(complete), () => new ResultStore(temp.Path).Save(complete with { Complete = false }));
            new ResultStore(temp.Path).Complete(complete.Spec).Should().NotBeNull($"round {round}");
        }
    }

    [Test(Description = "A diverged run is finished: its record is complete, and a resumed sweep does not train it again")]
    public void A_diverged_run_is_complete_and_not_retrained()
    {
        using var temp = new TempFolder("diverged-");
        string sweep = Path.Combine(temp.Path, "sweep.yaml");
        // Deep ReLU far in the chaotic phase (σ_w² = 6) with plain SGD: the loss is NaN within a few steps.
        File.WriteAllText(sweep, "depth: 20\nactivation: relu\ninit: normal\nsigma-w2: 6\noptimizer: sgd\nlr: 0.01\nsamples: 500\nepochs: 2\n");
        var first = CliProcess.Run(TimeSpan.FromMinutes(3), "sweep", sweep, "--out", temp.Path);
        first.ExitCode.Should().Be(0, first.Error);
        first.Out.Should().Contain("diverged: relu").And.NotContain("done:");
        var record = RecordJson.Deserialize(File.ReadAllText(Directory.GetFiles(Path.Combine(temp.Path, "results"), "*.json").Single()), "record");
        (record.Diverged, record.Complete).Should().Be((true, true));
        var second = CliProcess.Run(TimeSpan.FromMinutes(3), "sweep", sweep, "--out", temp.Path);
        second.Out.Should().Contain("1 already complete").And.Contain("0 to train");
    }

    [Test(Description = "A job that ends without committing keeps a partial folder that holds records (as <id>-incomplete); an empty one is removed")]
    public void An_uncommitted_run_folder_with_records_is_kept()
    {
        using var temp = new TempFolder("runfolder-");
        using (var folder = RunFolder.Create(temp.Path, "20260101-000000-abcdef"))
            folder.WriteAtomically("relu-d2.json", RecordJson.Serialize(Record(complete: true)));
        Directory.GetDirectories(Path.Combine(temp.Path, "runs")).Select(Path.GetFileName).Should().Equal("20260101-000000-abcdef-incomplete");
        using (RunFolder.Create(temp.Path, "20260101-000000-fedcba")) { }
        Directory.GetDirectories(Path.Combine(temp.Path, "runs")).Should().HaveCount(1, "a folder without records is removed");
    }

    // Sizes that run out at successive write points of the small job: its first record (14 KB each), its second, the
    // CSVs, the figures (about 40 KB each), the report; 600 KB holds everything.
    [TestCase(8), TestCase(24), TestCase(48), TestCase(100), TestCase(200), TestCase(320), TestCase(600)]
    [Test(Description = "The main job on a full disk: every record it wrote is kept and complete, exit 1 with one line, never exit 2")]
    public void The_main_job_keeps_its_records_when_the_disk_fills(int kilobytes)
    {
        using var disk = new FullDisk(kilobytes);
        var (exitCode, stdout, error) = CliProcess.Run(TimeSpan.FromMinutes(3), [.. SmallJob, "--out", disk.Path]);
        TestContext.Out.WriteLine($"{kilobytes} KB: exit {exitCode}\n{error}");
        exitCode.Should().BeOneOf([0, Job.WriteFailed], error);
        error.Should().NotContain("   at ", "one line, no stack trace");
        string runs = Path.Combine(disk.Path, "runs");
        var kept = Directory.Exists(runs) ? Directory.GetFiles(runs, "*.json", SearchOption.AllDirectories) : [];
        foreach (string file in kept) RecordJson.Deserialize(File.ReadAllText(file), file).Complete.Should().BeTrue(file);
        if (Directory.Exists(runs))
        {
            Directory.GetDirectories(runs, ".partial-*").Should().BeEmpty("a partial folder is moved into place or kept as -incomplete");
            Directory.GetFiles(runs, "*.tmp", SearchOption.AllDirectories).Should().BeEmpty("no temporary file is left");
        }
        if (exitCode == 0) return;
        error.Should().Contain("No space left on device");
        if (kept.Length > 0) error.Should().Contain($"{kept.Length} finished record(s) are kept in").And.Contain("-incomplete");
        else error.Should().Contain("no run finished");
    }

    [TestCase(8), TestCase(24)]
    [Test(Description = "A sweep on a full disk says which records it could not write and exits 1; what it wrote is complete")]
    public void A_sweep_on_a_full_disk_says_so(int kilobytes)
    {
        using var disk = new FullDisk(kilobytes);
        string sweep = Path.Combine(Path.GetTempPath(), $"sweep-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(sweep, "depth: 2\nwidth: 16\nactivation: [relu, sigmoid]\nsamples: 200\nepochs: 1\n");
        try
        {
            var (exitCode, _, error) = CliProcess.Run(TimeSpan.FromMinutes(3), "sweep", sweep, "--out", disk.Path);
            exitCode.Should().Be(Job.WriteFailed, error);
            error.Should().Contain("could not write the record of").And.Contain("No space left on device").And.NotContain("   at ");
            foreach (string file in Directory.GetFiles(Path.Combine(disk.Path, "results"), "*.json"))
                RecordJson.Deserialize(File.ReadAllText(file), file).Complete.Should().BeTrue();
        }
        finally { File.Delete(sweep); }
    }

    // Sizes at which phase meets a full disk at its records (48 KB), after them at its figure (skipped with a warning)
    // and its report (92 KB), or not at all (160 KB), on the machine these were chosen on (before its records were
    // written twice, to the results folder and the run folder); each size must keep every record.
    [TestCase(48), TestCase(92), TestCase(160)]
    [Test(Description = "phase on a full disk keeps every cell's record it wrote; a failure after training exits 1 and says where they are")]
    public void Phase_keeps_its_records_when_the_disk_fills(int kilobytes)
    {
        using var disk = new FullDisk(kilobytes);
        var (exitCode, _, error) = CliProcess.Run(TimeSpan.FromMinutes(5), "phase", "--sigma-w2", "1", "4", "--depth", "2", "4", "--seed", "1", "--max-seeds", "1",
            "--width", "16", "--samples", "300", "--epochs", "1", "--out", disk.Path);
        TestContext.Out.WriteLine($"{kilobytes} KB: exit {exitCode}\n{error}");
        exitCode.Should().BeOneOf([0, Job.WriteFailed], error);
        error.Should().NotContain("   at ");
        // Records go to the results folder as runs end, then with the diagram into its run folder.
        string[] Files(string folder, string pattern) =>
            Directory.Exists(Path.Combine(disk.Path, folder)) ? Directory.GetFiles(Path.Combine(disk.Path, folder), pattern, SearchOption.AllDirectories) : [];
        var kept = Files("runs", "*.json");
        foreach (string file in kept.Concat(Files(PhaseJob.ResultsFolder, "*.json"))) RecordJson.Deserialize(File.ReadAllText(file), file).Complete.Should().BeTrue(file);
        foreach (string png in Files("runs", "*.png"))
            File.ReadAllBytes(png)[^8..^4].Should().Equal("IEND"u8.ToArray(), $"{png}: a figure that did not fit is removed, not left half-written");
        if (exitCode == Job.WriteFailed && kept.Length > 0) // said where they are, or which could not be written
            error.Should().Match(e => e.Contains($"the {kept.Length} finished record(s) are kept in") || e.Contains("could not write the record of"));
    }

    [Test(Description = "Event files that cannot be written (a full disk) stop the logging, not the run")]
    public void TensorBoard_on_a_full_disk_keeps_the_run()
    {
        using var disk = new FullDisk(8);
        var spec = new ExperimentSpec { Depth = 2, Width = 16, Samples = 300, Epochs = 2, BatchSize = 20 };
        using var log = new TensorBoardLog(Path.Combine(disk.Path, "events"));
        var record = Trainer.Run(spec, log.OnEpoch, observer: log);
        log.Dispose();
        record.Complete.Should().BeTrue();
        log.Failure.Should().Contain("No space left on device");
    }

    static RunRecord Record(bool complete, int seed = 1)
    {
        var spec = new ExperimentSpec { Depth = 2, Seed = seed };
        var layer = new LayerRecord(1, LayerRecord.Hidden, 4, 4, new Dictionary<string, MetricSummary> { [Metric.WeightGradNorm] = new(1, 1, 1) });
        return new RunRecord(RunRecord.CurrentSchema, spec.Id, spec, EnvironmentInfo.Capture(1), new DataDescription("test data", null, "none"),
            null, [new EpochRecord(0, 4, 2.3, 0.1, 2.3, 0.1, [layer])], null, complete);
    }
}
