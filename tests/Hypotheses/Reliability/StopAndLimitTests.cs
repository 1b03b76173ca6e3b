using Experiments.Records;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>
/// A signal stops any command, not only training; limits and the output folder are checked before work starts, by
/// --dry-run too; a worker given anything but its job's request says so in one line.
/// </summary>
[TestFixture, Category("Reliability")]
public class StopAndLimitTests
{
    [Test(Description = "Ctrl+C while a large sweep is planned (before any training) stops it within seconds, exit 130")]
    public void A_signal_stops_planning()
    {
        using var temp = new TempFolder("stop-planning-");
        string sweep = Path.Combine(temp.Path, "big.yaml");
        // 600,000 specs: their ids, names and the listing take tens of seconds on a 2-core machine.
        File.WriteAllText(sweep, $"seed: [{string.Join(", ", Enumerable.Range(1, 1000))}]\ndepth: [{string.Join(", ", Enumerable.Range(1, 300))}]\nactivation: [relu, sigmoid]\n");
        using var cli = new CliProcess("sweep", sweep, "--dry-run", "--out", temp.Path);
        Thread.Sleep(3000); // past start-up (under a second), well inside the planning (over 15 s on this machine)
        var clock = System.Diagnostics.Stopwatch.StartNew();
        cli.Interrupt();
        var (exitCode, _, error) = cli.WaitForExit(TimeSpan.FromMinutes(3));
        exitCode.Should().Be(130, error);
        error.Should().Contain("interrupted");
        TestContext.Out.WriteLine($"exited {clock.Elapsed.TotalSeconds:0.0} s after the signal");
    }

    [Test(Description = "A read-only --out is refused before training, and --dry-run refuses it too (exit 2, nothing written)")]
    public void A_read_only_output_folder_is_refused_up_front([Values] bool dryRun)
    {
        using var disk = new FullDisk(64);
        var remount = System.Diagnostics.Process.Start("mount", ["-o", "remount,ro", disk.Path])!;
        remount.WaitForExit();
        if (remount.ExitCode != 0) Assert.Ignore("cannot remount the tmpfs read-only here");
        string[] args = ["--depth", "2", "--width", "16", "--samples", "200", "--epochs", "1", "--out", Path.Combine(disk.Path, "out")];
        var (exitCode, stdout, error) = CliProcess.Run(dryRun ? [.. args, "--dry-run"] : args);
        CliReliabilityTests.ShouldBeOneErrorLine(exitCode, stdout, error, "cannot write in");
        stdout.Should().NotContain("Training", "nothing is trained");
        System.Diagnostics.Process.Start("mount", ["-o", "remount,rw", disk.Path])!.WaitForExit();
    }

    [Test(Description = "--parallel counts each worker process, not only its run's tensors: 8 small runs at once do not fit 1 GB")]
    public void Parallel_workers_are_counted_against_memory()
    {
        // A 1 GB container, as .NET sees it. Before: 8 × 45 MB of tensors fitted, and 8 workers of 300 MB each started.
        var environment = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x40000000" };
        using var cli = new CliProcess(environment, "--depth", "2", "--seed", "1", "2", "3", "4", "5", "6", "7", "8", "--parallel", "8", "--dry-run");
        var (exitCode, stdout, error) = cli.WaitForExit(TimeSpan.FromMinutes(1));
        CliReliabilityTests.ShouldBeOneErrorLine(exitCode, stdout, error, "8 runs at once (--parallel 8) need about");
        error.Should().Contain("200 MB for each worker process").And.Contain("or a smaller --parallel");
    }

    [Test(Description = "A grid of 10⁸ configurations is refused from its option counts, before one spec is built (before: 6 GB and half a minute)")]
    public void A_huge_grid_is_refused_before_it_is_built([Values("main", "phase")] string command)
    {
        string[] values = [.. Enumerable.Range(1, 10_000).Select(i => $"{i}")];
        string[] args = command == "main" ? ["--seed", .. values, "--depth", .. values, "--dry-run"] : ["phase", "--sigma-w2", .. values, "--depth", .. values];
        var (exitCode, stdout, error) = CliProcess.Run(args);
        CliReliabilityTests.ShouldBeOneErrorLine(exitCode, stdout, error, "100,000,000 configurations; expected at most 1,000,000");
    }

    [Test(Description = "--threads is bounded: 2^31 libtorch threads would exhaust the machine")]
    public void Threads_are_bounded()
    {
        var (exitCode, stdout, error) = CliProcess.Run("--threads", "2147483647", "--dry-run");
        CliReliabilityTests.ShouldBeOneErrorLine(exitCode, stdout, error, $"--threads 2147483647: expected a whole number from 1 to {ExperimentSpec.MaxThreads}");
    }

    [Test(Description = "A worker given a line that is not its job's request says so in one line, no stack trace, exit 2")]
    public void Garbage_on_a_worker_input_is_one_line()
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Experiments.dll"));
        start.ArgumentList.Add("worker");
        using var worker = System.Diagnostics.Process.Start(start)!;
        worker.StandardInput.WriteLine("{\"not\": a spec");
        worker.StandardInput.Close();
        string error = worker.StandardError.ReadToEnd();
        worker.StandardOutput.ReadToEnd();
        worker.WaitForExit();
        worker.ExitCode.Should().Be(2, error);
        error.Should().StartWith("error: worker: expected a request line").And.NotContain("   at ");
    }
}
