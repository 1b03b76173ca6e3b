using Experiments.Cli;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>`bench` as a user runs it: interrupted rows are marked and Ctrl+C exits with 130.</summary>
[TestFixture, Category("Reliability")]
public class BenchCliTests
{
    [Test(Description = "Ctrl+C during bench: exit 130, and the interrupted row says so")]
    public void Interrupted_bench_exits_130_and_marks_the_row()
    {
        using var cli = new CliProcess("bench", "--depth", "20", "--activation", "relu", "--batch", "64", "--epochs", "50", "--samples", "4000");
        // The bench names each configuration as it starts timing it; give up waiting after 20 s and interrupt anyway.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!cli.OutputSoFar.Contains("timing") && DateTime.UtcNow < deadline) Thread.Sleep(100);
        Thread.Sleep(2000); // inside the timed epochs
        cli.Interrupt();
        var (exitCode, stdout, error) = cli.WaitForExit(TimeSpan.FromMinutes(1));

        exitCode.Should().Be(130, error);
        stdout.Should().Contain("interrupted");
        error.Should().NotContain("   at ");
    }

    [Test(Description = "bench --tensorboard adds a column timing tracked training with event files, and leaves no files")]
    public void Bench_with_tensorboard_adds_a_column_and_cleans_up()
    {
        using var cli = new CliProcess("bench", "--tensorboard", "--depth", "3", "--activation", "relu", "--batch", "64",
            "--epochs", "1", "--samples", "500");
        var (exitCode, stdout, error) = cli.WaitForExit(TimeSpan.FromMinutes(2));

        exitCode.Should().Be(0, error);
        stdout.Should().Contain("timing relu-d3: ").And.Contain("and tracked with TensorBoard event files");
        Directory.Exists(Path.Combine(Path.GetTempPath(), $"experiments-bench-{cli.Id}")).Should().BeFalse("the bench removes its event files");
    }

    [Test(Description = "bench refuses a vanilla RNN whose activation libtorch's nn.RNN does not have, before training")]
    public void Bench_refuses_an_rnn_activation_libtorch_lacks()
    {
        using var cli = new CliProcess("bench", "--model", "rnn", "--activation", "sigmoid", "--epochs", "1", "--samples", "500");
        var (exitCode, stdout, error) = cli.WaitForExit(TimeSpan.FromMinutes(1));

        exitCode.Should().NotBe(0);
        error.Should().StartWith("error: --activation sigmoid: the bench times a vanilla RNN against libtorch's nn.RNN, which has tanh and relu only");
        stdout.Should().NotContain("timing");
    }

    [Test(Description = "A row's time is the mean of its epochs after epoch 0 and its own warm-up epoch, or none if there are none")]
    public void Timing_leaves_out_epoch_0_and_the_warm_up_epoch()
    {
        // Seconds of epochs 0 (measurement), 1 (warm-up: slow, libtorch and the JIT warming), 2 and 3.
        BenchCommand.Timing([0.5, 4.0, 1.0, 3.0]).Should().Be((2.0, 2));
        BenchCommand.Timing([0.5, 4.0]).Timed.Should().Be(0, "no epoch after the warm-up");
    }
}
