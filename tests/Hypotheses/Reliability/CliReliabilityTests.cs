using Experiments.Training;
using Hypotheses.Foundation;
using FluentAssertions;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>The command line on bad input, divergence and Ctrl+C: what happened is named, nothing half-written is left.</summary>
[TestFixture, Category("Reliability")]
public class CliReliabilityTests
{
    TempFolder temp = null!;
    string output = "";

    [SetUp] public void CreateOutput() => output = (temp = new TempFolder("cli-")).Path;
    [TearDown] public void DeleteOutput() => temp.Dispose();

    [TestCase("--data", "/nonexistent/mnist", "--data /nonexistent/mnist: folder not found")]
    [TestCase("--activation", "swish", "--activation swish: expected one of sigmoid, tanh, relu, leaky-relu, gelu")]
    [TestCase("--init", "xavier", "--init xavier: expected one of glorot-uniform,")]
    [TestCase("--depth", "0", "--depth 0: expected a whole number of hidden layers, at least 1")]
    [TestCase("--width", "-3", "--width -3: expected a whole number, at least 1")]
    [TestCase("--batch", "0", "--batch 0: expected a whole number, at least 1")]
    [TestCase("--epochs", "0", "--epochs 0: expected at least 1 training epoch")]
    [TestCase("--lr", "0", "--lr 0: expected a positive number")]
    [TestCase("--lr", "-0.1", "--lr -0.1: expected a positive number")]
    [TestCase("--samples", "20000", "--samples 20000: expected at most the 10000 images")]
    [TestCase("--precision", "float16", "--precision float16: expected one of float32, float64")]
    [TestCase("--depth", "abc", "Cannot parse argument 'abc' for option '--depth'")]
    public void Bad_input_gives_one_line_naming_the_option_and_exit_code_2(string option, string value, string expected)
    {
        var (exitCode, _, error) = CliProcess.Run(option, value, "--out", output);

        exitCode.Should().Be(2);
        error.Should().StartWith("error: ").And.Contain(expected).And.NotContain("   at ", "no stack trace without --verbose");
        Directory.EnumerateFileSystemEntries(output).Should().BeEmpty("nothing may be written for bad input");
    }

    [Test]
    public void An_output_folder_that_cannot_be_written_is_named()
    {
        string blocked = Path.Combine(output, "file");
        File.WriteAllText(blocked, "a file where a folder should be");
        var (exitCode, _, error) = CliProcess.Run("--out", blocked, "--samples", "200", "--epochs", "1");
        exitCode.Should().Be(2);
        error.Should().StartWith($"error: --out {blocked}: cannot write there");
    }

    [Test]
    public void Verbose_shows_the_stack_trace()
    {
        var (exitCode, _, error) = CliProcess.Run("--depth", "0", "--verbose");
        exitCode.Should().Be(2);
        error.Should().Contain("   at ");
    }

    [Test(Description = "A diverging run is a result: a warning, exit 0, a record that marks the step, figures that render")]
    public void Divergence_is_recorded_not_a_crash()
    {
        var (exitCode, stdout, error) = CliProcess.Run("--depth", "20", "--activation", "relu", "--init", "normal", "--sigma-w2", "6",
            "--optimizer", "sgd", "--lr", "0.01", "--epochs", "2", "--samples", "500", "--out", output);

        exitCode.Should().Be(0, error);
        stdout.Should().Contain("warning:").And.Contain("diverged at epoch 1");
        string run = CliRun.RunFolderOf(output);
        var record = RecordJson.Deserialize(File.ReadAllText(Path.Combine(run, "relu-d20-normal-sw6-sgd.json")), "record");
        record.Divergence.Should().NotBeNull();
        record.Divergence!.Reason.Should().Contain("NaN");
        record.Complete.Should().BeFalse();
        File.ReadAllText(Path.Combine(run, "relu-d20-normal-sw6-sgd.json")).Should().Contain("\"NaN\"", "non-finite values are written explicitly");
        foreach (string figure in new[] { "grad-norms", "delta-profile", "heatmap", "theory" })
            new FileInfo(Path.Combine(run, $"relu-d20-normal-sw6-sgd-{figure}.png")).Length.Should().BeGreaterThan(10_000);
    }

    [Test(Description = "Ctrl+C finishes the current step, keeps the records so far marked incomplete, exits 130")]
    public void Interruption_keeps_what_was_measured()
    {
        using var cli = new CliProcess("--depth", "20", "--activation", "relu", "--epochs", "200", "--samples", "2000", "--out", output);
        CliRun.WaitForTrainingToStart(output);
        cli.Interrupt();
        var (exitCode, stdout, error) = cli.WaitForExit(TimeSpan.FromMinutes(1));

        exitCode.Should().Be(130, error);
        stdout.Should().Contain("interrupted");
        string run = CliRun.RunFolderOf(output);
        var record = RecordJson.Deserialize(File.ReadAllText(Path.Combine(run, "relu-d20.json")), "record");
        record.Complete.Should().BeFalse();
        record.Epochs.Should().NotBeEmpty().And.HaveCountLessThan(201);
        Directory.GetDirectories(Path.Combine(output, "runs"), ".partial-*").Should().BeEmpty("the run was moved into place whole");
    }
}
