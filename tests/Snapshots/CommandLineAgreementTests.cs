using Experiments.Models;
using Experiments.Records;
using Experiments.Reporting;
using Experiments.Training;
using Experiments.Workers;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Snapshots;

/// <summary>
/// The main job and the tests run the same kernels: a snapshot spec trained by the command line, in its own process,
/// gives the record and table the snapshot test checks, bit for bit.
/// </summary>
[TestFixture]
public class CommandLineAgreementTests
{
    [Test]
    public void The_command_line_writes_the_record_a_snapshot_test_trains()
    {
        var spec = ClassicSnapshots.Condition(Activation.Relu, 20);
        using var output = new TempFolder("cli-snapshot-");

        var (exitCode, _, error) = CliProcess.Run(
            "--depth", $"{spec.Depth}", "--activation", RecordJson.Name(spec.Activation), "--samples", $"{spec.Samples}",
            "--epochs", $"{spec.Epochs}", "--seed", $"{spec.Seed}", "--precision", RecordJson.Name(spec.Precision), "--out", output.Path);

        exitCode.Should().Be(0, error);
        string runs = Path.Combine(output.Path, "runs");
        string run = Path.Combine(runs, File.ReadAllText(Path.Combine(runs, "latest.txt")).Trim());
        var fromCli = RecordJson.Deserialize(File.ReadAllText(Path.Combine(run, $"{spec.FileName()}.json")), "the command line's record");
        var fromTest = RunCache.Get(spec);
        fromCli.SpecId.Should().Be(spec.Id, "the options must describe the snapshot spec");
        RecordJson.Serialize(fromCli).Should().Be(RecordJson.Serialize(fromTest));
        File.ReadAllText(Path.Combine(run, $"{spec.FileName()}-table.txt")).Should().Be(LayerTable.Format(fromTest));
    }
}
