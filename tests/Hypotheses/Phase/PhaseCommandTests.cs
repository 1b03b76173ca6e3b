using Experiments.Phase;
using Experiments.Plotting;
using Experiments.Records;
using Experiments.Reporting;
using FluentAssertions;
using Hypotheses.Reliability;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Phase;

/// <summary>`phase` as a user runs it, on a grid small enough for seconds: what it writes, and that phase.csv says what the records say.</summary>
[TestFixture, Category("Reliability")]
public class PhaseCommandTests
{
    [Test]
    public void Phase_writes_records_figure_csv_and_report_and_the_csv_reads_back_as_the_records()
    {
        using var output = new TempFolder("cli-phase-");
        var (exitCode, stdout, error) = CliProcess.Run("phase", "--sigma-w2", "1", "4", "--depth", "2", "4", "--seed", "1", "2",
            "--width", "8", "--samples", "200", "--epochs", "1", "--out", output.Path);

        exitCode.Should().Be(0, error);
        stdout.Should().Contain("boundary").And.Contain("Wrote 8 records");
        string runs = Path.Combine(output.Path, "runs");
        string run = Path.Combine(runs, File.ReadAllText(Path.Combine(runs, "latest.txt")).Trim());
        Directory.GetFiles(run).Select(Path.GetFileName).Should().Contain([PhaseFigure.File, PhaseReport.File, PhaseReport.CsvFile]);
        Directory.GetDirectories(runs).Should().NotContain(d => Path.GetFileName(d).StartsWith(".partial-"), "the run folder was committed");

        var records = Directory.GetFiles(run, "*.json").Select(f => RecordJson.Deserialize(File.ReadAllText(f), f)).ToList();
        records.Should().HaveCount(8);
        var fromCsv = PhaseReport.ReadCsv(File.ReadAllText(Path.Combine(run, PhaseReport.CsvFile)), PhaseReport.CsvFile);
        fromCsv.Should().BeEquivalentTo(records.Select(PhaseCell.Of), "phase.csv holds each record's cell exactly (shortest round-trip numbers)");
        File.ReadAllText(Path.Combine(run, PhaseReport.File)).Should().Contain(PhaseReport.Tables(PhaseGrid.FromRecords(records)));
    }
}
