using System.Text.RegularExpressions;
using Experiments.Records;
using Experiments.Training;
using Experiments.Workers;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>
/// The main job when things go wrong around it: a run that crashes, a figure that cannot be drawn, signals, a
/// killed job, two jobs at once. Every finished record is kept, and what happened is named in one line.
/// </summary>
[TestFixture, Category("Reliability")]
public class JobIsolationTests
{
    const int SigHup = 1, SigTerm = 15;
    TempFolder temp = null!;
    string output = "";

    [SetUp] public void CreateOutput() => output = (temp = new TempFolder("job-")).Path;
    [TearDown] public void DeleteOutput() => temp.Dispose();

    [Test(Description = "A run whose worker dies (SIGKILL, as the out-of-memory killer ends it) is named with its reason; the other runs are written; exit 3")]
    public void A_crashed_run_is_named_and_the_others_are_written()
    {
        const int SigKill = 9;
        // One worker at a time: the first trains sigmoid-d5 (the grid's first), and is killed; relu-d5 gets a fresh one.
        using var cli = new CliProcess("--depth", "5", "--activation", "sigmoid", "relu", "--samples", "500", "--epochs", "300",
            "--parallel", "1", "--out", output);
        WorkerProcesses.Signal(WorkerProcesses.WaitForTraining(cli.Id), SigKill);
        var (exitCode, _, error) = cli.WaitForExit(TimeSpan.FromMinutes(2));

        exitCode.Should().Be(3, error);
        error.Should().Contain("error: run sigmoid-d5 failed: the worker process ended (killed by signal 9)")
            .And.NotContain("   at ", "no stack trace without --verbose");
        string run = CliRun.RunFolderOf(output);
        File.Exists(Path.Combine(run, "relu-d5.json")).Should().BeTrue();
        File.Exists(Path.Combine(run, "sigmoid-d5.json")).Should().BeFalse();
        File.ReadAllText(Path.Combine(run, "report.md")).Should().Contain("run sigmoid-d5 failed");
    }

    [TestCase(new[] { "Unhandled exception. System.InvalidOperationException: boom", "   at X.Y()" },
        "System.InvalidOperationException: boom")]
    [TestCase(new[] { "Process terminated.", "EXPERIMENTS: injected crash", "   at X.Y()" }, "Process terminated. EXPERIMENTS: injected crash")]
    [TestCase(new[] { "frame #0: c10::Error", "Error: out of memory" }, "Error: out of memory")]
    [TestCase(new string[0], null)]
    [Test(Description = "A dead worker's reason is the first line of its standard error a person can read")]
    public void A_dead_worker_s_reason_is_its_first_readable_line(string[] stderr, string? expected)
    {
        string? reason = WorkerProcess.ReadableReason(stderr);
        if (expected is null) reason.Should().BeNull();
        else reason.Should().Contain(expected);
    }

    [TestCase("--width", "1")]
    [TestCase("--sigma-w2", "1e30")]
    public void Extreme_values_give_records_and_figures_not_a_crash(string option, string value)
    {
        // Both once ended the job with a plotting stack trace after training, losing every record.
        var extra = option == "--sigma-w2" ? new[] { "--init", "normal" } : [];
        var (exitCode, _, error) = CliProcess.Run([.. extra, option, value, "--depth", "5", "--activation", "relu",
            "--samples", "500", "--epochs", "1", "--out", output]);

        exitCode.Should().Be(0, error);
        error.Should().NotContain("   at ");
        string run = CliRun.RunFolderOf(output);
        Directory.GetFiles(run, "*.json").Should().ContainSingle();
        Directory.GetFiles(run, "*.png").Should().HaveCount(6, "4 figures of the configuration, the overview and the learning curves");
    }

    [Test]
    public void A_figure_that_cannot_be_written_is_skipped_with_a_warning_and_the_rest_is_written()
    {
        var record = Trainer.Run(new ExperimentSpec { Depth = 5, Activation = Experiments.Models.Activation.Relu, Samples = 200, Epochs = 1 });
        Directory.CreateDirectory(Path.Combine(output, "relu-d5-heatmap.png")); // a folder where the figure should go

        var (files, warnings) = Experiments.Plotting.FigureSet.WriteAll([record], output);

        warnings.Should().ContainSingle().Which.Should().StartWith("figure relu-d5-heatmap.png skipped: ");
        files.Should().NotContain("relu-d5-heatmap.png").And.Contain(["relu-d5-grad-norms.png", "relu-d5-delta-profile.png", "overview.png"]);
        files.Should().OnlyContain(f => File.Exists(Path.Combine(output, f)));
    }

    [TestCase(SigTerm, 143)]
    [TestCase(SigHup, 129)]
    public void SIGTERM_and_SIGHUP_keep_what_was_measured(int signal, int expectedExit)
    {
        // A signal ignored here (SIGHUP under nohup) is ignored by the job started from here too, as Unix means it to be.
        if (IgnoredInThisProcess(signal)) Assert.Ignore($"signal {signal} is ignored in this process tree (started under nohup?), so a job started here cannot see it");
        using var cli = new CliProcess("--depth", "20", "--activation", "relu", "--epochs", "200", "--samples", "2000", "--out", output);
        CliRun.WaitForTrainingToStart(output);
        cli.Signal(signal);
        var (exitCode, _, error) = cli.WaitForExit(TimeSpan.FromMinutes(1));

        exitCode.Should().Be(expectedExit, error);
        var record = RecordJson.Deserialize(File.ReadAllText(Path.Combine(CliRun.RunFolderOf(output), "relu-d20.json")), "record");
        record.Complete.Should().BeFalse();
        record.Epochs.Should().NotBeEmpty();
        Directory.GetDirectories(Path.Combine(output, "runs"), ".partial-*").Should().BeEmpty();
    }

    /// <summary>Whether this process ignores <paramref name="signal"/> (bit signal − 1 of SigIgn in /proc/self/status), which a
    /// child inherits through exec.</summary>
    static bool IgnoredInThisProcess(int signal) =>
        File.Exists("/proc/self/status") && File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:")) is { } line
        && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (signal - 1))) != 0;

    [Test(Description = "A job killed outright leaves a partial folder; the next job recovers its finished records")]
    public void A_killed_jobs_records_are_recovered_by_the_next_job()
    {
        string runs = Path.Combine(output, "runs");
        using (var killed = new CliProcess("--depth", "2", "30", "--activation", "relu", "--epochs", "40", "--samples", "1000",
                   "--parallel", "1", "--out", output))
        {
            CliRun.WaitFor(() => Directory.Exists(runs) && Directory.GetDirectories(runs, ".partial-*")
                .Any(p => File.Exists(Path.Combine(p, "relu-d2.json"))), "the first record");
            killed.KillHard();
        }
        var (exitCode, stdout, error) = CliProcess.Run("--depth", "2", "--activation", "relu", "--epochs", "1", "--samples", "500", "--out", output);

        exitCode.Should().Be(0, error);
        Regex.Replace(stdout, @"\s+", " ").Should().Contain("warning: recovered 1 record(s) of a job that was killed into");
        var recovered = Directory.GetDirectories(runs, "*-killed").Should().ContainSingle().Subject;
        File.Exists(Path.Combine(recovered, "relu-d2.json")).Should().BeTrue();
        Directory.GetDirectories(runs, ".partial-*").Should().BeEmpty();
    }

    [Test(Description = "Two identical jobs started together with one --out both succeed, in separate run folders")]
    public void Two_identical_jobs_at_once_both_succeed()
    {
        string[] args = ["--depth", "2", "--activation", "relu", "--epochs", "1", "--samples", "500", "--out", output];
        using var first = new CliProcess(args);
        using var second = new CliProcess(args);
        var results = new[] { first.WaitForExit(TimeSpan.FromMinutes(2)), second.WaitForExit(TimeSpan.FromMinutes(2)) };

        results.Should().OnlyContain(r => r.ExitCode == 0, string.Join("\n", results.Select(r => r.Error)));
        string runs = Path.Combine(output, "runs");
        var folders = Directory.GetDirectories(runs).Where(d => !Path.GetFileName(d).StartsWith('.') && Path.GetFileName(d) != "latest").ToList();
        folders.Should().HaveCount(2);
        folders.Should().OnlyContain(f => File.Exists(Path.Combine(f, "relu-d2.json")) && File.Exists(Path.Combine(f, "report.md")));
        Directory.GetDirectories(runs, ".partial-*").Should().BeEmpty();
    }
}
