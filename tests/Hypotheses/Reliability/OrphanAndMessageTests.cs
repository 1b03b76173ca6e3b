using Experiments.Cli;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>Workers do not outlive their job, nor keep it waiting when they stop answering; a mistyped option is named as such; output that cannot be written is one line.</summary>
[TestFixture, Category("Reliability")]
public class OrphanAndMessageTests
{
    const int SigKill = 9;
    const int SigStop = 19;

    [Test(Description = "A job killed outright (SIGKILL) takes its workers with it within seconds")]
    public void Workers_die_with_a_job_killed_outright()
    {
        using var temp = new TempFolder("orphan-");
        using var cli = new CliProcess("--depth", "20", "--activation", "relu", "sigmoid", "--epochs", "50", "--samples", "2000", "--out", temp.Path);
        CliRun.WaitFor(() => WorkerProcesses.Of(cli.Id).Count >= 1, "a worker process");
        var workers = WorkerProcesses.Of(cli.Id);
        cli.Signal(SigKill);
        CliRun.WaitFor(() => workers.All(w => !WorkerProcesses.Alive(w)), "the end of every worker"); // before: they trained on, orphaned
    }

    [Test(Description = "A stopped worker (SIGSTOP) is killed after its silence and its run failed with that reason; the other runs go on")]
    public void A_silent_worker_is_killed_and_the_job_goes_on()
    {
        using var temp = new TempFolder("silent-");
        var environment = new Dictionary<string, string> { [Experiments.Workers.WorkerProcess.SilenceVariable] = "10" };
        using var cli = new CliProcess(environment, "--depth", "2", "--activation", "relu", "tanh", "--samples", "2000", "--epochs", "40",
            "--parallel", "2", "--out", temp.Path);
        int worker = WorkerProcesses.WaitForTraining(cli.Id);
        try
        {
            WorkerProcesses.Signal(worker, SigStop);
            var (exitCode, stdout, error) = cli.WaitForExit(TimeSpan.FromMinutes(3)); // before: it waited forever
            exitCode.Should().Be(Job.RunsFailed, error);
            stdout.Should().Contain("sent nothing for 10 s and was killed").And.Contain("done:");
        }
        finally
        {
            if (WorkerProcesses.Alive(worker)) WorkerProcesses.Signal(worker, SigKill);
        }
    }

    [Test(Description = "phase with a run that fails writes the diagram of the finished runs, marked incomplete, exits 3, and the same command trains the failed run again")]
    public void Phase_with_a_failed_run_writes_an_incomplete_diagram_and_resumes()
    {
        using var temp = new TempFolder("phase-failed-");
        string[] grid = ["phase", "--sigma-w2", "4", "--depth", "2", "3", "--seed", "1", "--max-seeds", "1", "--width", "8",
                         "--samples", "2000", "--epochs", "40", "--parallel", "2", "--out", temp.Path];
        var environment = new Dictionary<string, string> { [Experiments.Workers.WorkerProcess.SilenceVariable] = "10" };
        using (var cli = new CliProcess(environment, grid))
        {
            int worker = WorkerProcesses.WaitForTraining(cli.Id);
            try
            {
                WorkerProcesses.Signal(worker, SigStop);
                var (exitCode, stdout, error) = cli.WaitForExit(TimeSpan.FromMinutes(3));
                exitCode.Should().Be(Job.RunsFailed, error);
                stdout.Should().Contain("run the same command again to go on");
            }
            finally
            {
                if (WorkerProcesses.Alive(worker)) WorkerProcesses.Signal(worker, SigKill);
            }
        }
        string runs = Path.Combine(temp.Path, "runs");
        string md = File.ReadAllText(Path.Combine(runs, File.ReadAllText(Path.Combine(runs, "latest.txt")).Trim(), Experiments.Reporting.PhaseReport.File));
        md.Should().Contain("Incomplete: 1 of 2 runs finished").And.Contain("sent nothing for 10 s and was killed");

        var again = CliProcess.Run(TimeSpan.FromMinutes(3), grid);
        again.ExitCode.Should().Be(0, again.Error);
        again.Out.Should().Contain("1 to train", "the finished run is kept, the failed one trained");
    }

    [TestCase("abc")]
    [TestCase("0")]
    [TestCase("1e9")]
    [Test(Description = "A silence limit that is not a number of seconds is refused before anything starts, not replaced by the default")]
    public void A_bad_silence_limit_is_refused(string value)
    {
        using var temp = new TempFolder("silence-limit-");
        var environment = new Dictionary<string, string> { [Experiments.Workers.WorkerProcess.SilenceVariable] = value };
        using var cli = new CliProcess(environment, "--depth", "2", "--activation", "relu", "--samples", "200", "--epochs", "1", "--out", temp.Path);
        var (exitCode, _, error) = cli.WaitForExit(TimeSpan.FromMinutes(1)); // before: the default was used without a word
        exitCode.Should().Be(2, error);
        error.Should().Contain($"{Experiments.Workers.WorkerProcess.SilenceVariable}={value}: expected seconds");
        Directory.Exists(Path.Combine(temp.Path, "runs")).Should().BeFalse("nothing is written");
    }

    [TestCase(new[] { "--seed", "1", "2", "3", "--dry-runn" }, "--dry-runn: unknown option (did you mean --dry-run?)")]
    [TestCase(new[] { "--depth", "5", "20", "--activation", "relu", "--lrr", "0.1" }, "--lrr: unknown option (did you mean --lr?)")]
    [TestCase(new[] { "sweep", "x.yaml", "--shardz", "2" }, "--shardz: unknown option (did you mean --shard?)")]
    [Test(Description = "A mistyped option after a list is named as unknown, not blamed on the list")]
    public void A_mistyped_option_is_named_as_unknown(string[] args, string expected)
    {
        var (exitCode, stdout, error) = CliProcess.Run(args);
        CliReliabilityTests.ShouldBeOneErrorLine(exitCode, stdout, error, expected);
    }

    [Test(Description = "Output to a full device (/dev/full) is one error line and exit 1, not an abort")]
    public void Output_to_a_full_device_is_one_line()
    {
        if (!File.Exists("/dev/full")) Assert.Ignore("no /dev/full on this system");
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec dotnet \"{Path.Combine(AppContext.BaseDirectory, "Experiments.dll")}\" --dry-run --samples 200 > /dev/full");
        using var process = System.Diagnostics.Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(Job.WriteFailed, error);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("error: ").And.Contain("No space left on device");
    }
}
