using Experiments.Records;
using Experiments.Training;
using FluentAssertions;
using Hypotheses.Support;
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

    [TestCaseSource(typeof(BadInputCases), nameof(BadInputCases.Training))]
    public void Bad_input_gives_one_line_naming_the_option_and_exit_code_2(string[] args, string expected)
    {
        var (exitCode, stdout, error) = CliProcess.Run([.. BadInputCases.OnSmallJob(args), .. args.Contains("--out") ? [] : new[] { "--out", output }]);

        ShouldBeOneErrorLine(exitCode, stdout, error, expected);
        Directory.EnumerateFileSystemEntries(output).Should().BeEmpty("nothing may be written for bad input");
    }

    [TestCaseSource(typeof(BadInputCases), nameof(BadInputCases.Commands))]
    public void Bad_input_to_theory_and_bench_gives_one_line_and_exit_code_2(string[] args, string expected)
    {
        var (exitCode, stdout, error) = CliProcess.Run(args);
        ShouldBeOneErrorLine(exitCode, stdout, error, expected);
    }

    [TestCaseSource(typeof(BadInputCases), nameof(BadInputCases.Phase))]
    public void Bad_input_to_phase_gives_one_line_exit_code_2_and_writes_nothing(string[] args, string expected)
    {
        var (exitCode, stdout, error) = CliProcess.Run([.. BadInputCases.OnSmallPhase(args), "--out", output]);

        ShouldBeOneErrorLine(exitCode, stdout, error, expected);
        Directory.EnumerateFileSystemEntries(output).Should().BeEmpty("nothing may be written for bad input");
    }

    /// <summary>Exit code 2, one line that starts with "error: " and says what was expected, no stack trace.</summary>
    public static void ShouldBeOneErrorLine(int exitCode, string stdout, string error, string expected)
    {
        exitCode.Should().Be(2, $"bad input exits with 2; stderr: {error}; stdout: {stdout}");
        error.Should().StartWith("error: ").And.Contain(expected).And.NotContain("   at ", "no stack trace without --verbose");
        error.Split('\n').Count(l => l.StartsWith("error:")).Should().Be(1, "one error line");
        stdout.Should().NotContain("   at ");
    }

    [Test]
    public void An_output_folder_that_cannot_be_written_is_named()
    {
        string blocked = Path.Combine(output, "file");
        File.WriteAllText(blocked, "a file where a folder should be");
        var (exitCode, _, error) = CliProcess.Run("--out", blocked, "--samples", "200", "--epochs", "1");
        exitCode.Should().Be(2);
        error.Should().StartWith($"error: --out {blocked}: a file; expected a folder", "found before training, by the preflight");
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
        var record = RecordJson.Deserialize(File.ReadAllText(Path.Combine(run, "relu-d20-normal-sw6-sgd-lr0.01.json")), "record");
        record.Divergence.Should().NotBeNull();
        record.Divergence!.Reason.Should().Contain("NaN");
        record.Complete.Should().BeTrue("a diverged run is finished: its outcome is the divergence");
        File.ReadAllText(Path.Combine(run, "relu-d20-normal-sw6-sgd-lr0.01.json")).Should().Contain("\"NaN\"", "non-finite values are written explicitly");
        foreach (string figure in Experiments.Plotting.FigureSet.FileNames(record.Spec, hasPrediction: true))
            new FileInfo(Path.Combine(run, figure)).Length.Should().BeGreaterThan(10_000, figure);
    }

    [Test(Description = "A run that diverges at initialisation is a result too: its figures draw although no value is finite")]
    public void Divergence_at_initialisation_is_recorded_not_a_crash()
    {
        var (exitCode, stdout, error) = CliProcess.Run([.. BadInputCases.OnSmallJob(["--init", "normal", "--sigma-w2", "1e30"]), "--out", output]);

        exitCode.Should().Be(0, error);
        error.Should().BeEmpty();
        stdout.Should().Contain("diverged at epoch 0");
        string run = CliRun.RunFolderOf(output);
        foreach (string figure in new[] { "grad-norms", "delta-profile", "heatmap", "theory" })
            File.Exists(Path.Combine(run, $"relu-d5-normal-sw1e30-{figure}.png")).Should().BeTrue(figure);
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
