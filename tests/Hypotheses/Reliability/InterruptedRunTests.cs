using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>A run stopped by a signal is said to be interrupted, never "done", and is not counted as trained.</summary>
[TestFixture, Category("Reliability")]
public class InterruptedRunTests
{
    TempFolder temp = null!;

    [SetUp] public void Create() => temp = new TempFolder("interrupted-");

    [TearDown] public void Delete() => temp.Dispose();

    [Test]
    public void A_sweep_stopped_by_a_signal_says_its_run_was_interrupted()
    {
        string sweepFile = Path.Combine(temp.Path, "sweep.yaml");
        File.WriteAllText(sweepFile, "depth: 20\nactivation: relu\nsamples: 2000\nepochs: 200\n");
        var (exitCode, stdout, error) = InterruptOnceTraining("sweep", sweepFile, "--out", temp.Path, "--parallel", "1");

        exitCode.Should().Be(130, error);
        stdout.Should().MatchRegex(@"  interrupted: .+ at epoch \d+ of 200; its record is incomplete")
            .And.Contain("sweep: trained 0, reused 0, failed 0, interrupted 1").And.NotContain("done:");
    }

    [Test]
    public void The_main_job_stopped_by_a_signal_says_its_run_was_interrupted()
    {
        var (exitCode, stdout, error) = InterruptOnceTraining("--depth", "20", "--activation", "relu", "--epochs", "200", "--samples", "2000",
            "--out", temp.Path);

        exitCode.Should().Be(130, error);
        stdout.Should().MatchRegex(@"  interrupted: .+ at epoch \d+ of 200; its record is incomplete").And.NotContain("done:");
    }

    /// <summary>Starts the program, sends Ctrl+C once its worker process exists (from then on the run gets a record: a worker
    /// measures epoch 0 even when asked to stop first), and waits for it to exit.</summary>
    static (int ExitCode, string Out, string Error) InterruptOnceTraining(params string[] args)
    {
        using var cli = new CliProcess(args);
        CliRun.WaitFor(() => WorkerProcesses.Of(cli.Id).Count > 0, "a worker process");
        cli.Interrupt();
        return cli.WaitForExit(TimeSpan.FromMinutes(2));
    }
}
