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
        var (exitCode, stdout, error) = CliProcess.Run("phase", "--sigma-w2", "1", "4", "--depth", "2", "4", "--seed", "1", "2", "--max-seeds", "2",
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
    [Test(Description = "phase adds seeds round by round to the cells a column's boundary depends on, and reports every round's records")]
    public void Phase_adds_seeds_where_the_boundary_is_not_yet_placed()
    {
        using var output = new TempFolder("cli-phase-rounds-");
        // One seed decides no cell (1 of 1: Wilson [0.21, 1]), so every cell of a column that does not cross gets a second.
        var (exitCode, stdout, error) = CliProcess.Run("phase", "--sigma-w2", "4", "--depth", "2", "3", "--seed", "1", "--max-seeds", "2",
            "--width", "8", "--samples", "200", "--epochs", "1", "--out", output.Path);

        exitCode.Should().Be(0, error);
        stdout.Should().Contain("Round 2:");
        string runs = Path.Combine(output.Path, "runs");
        string run = Path.Combine(runs, File.ReadAllText(Path.Combine(runs, "latest.txt")).Trim());
        var records = Directory.GetFiles(run, "*.json").Select(f => RecordJson.Deserialize(File.ReadAllText(f), f)).ToList();
        var grid = PhaseGrid.FromRecords(records);
        var seeded = new SeedRounds([1], MaxSeeds: 2).Next(PhaseGrid.FromRecords([.. records.Where(r => r.Spec.Seed == 1)]));
        seeded.Should().NotBeEmpty();
        records.Select(r => r.Spec).Should().BeEquivalentTo(grid.Depths.Select(d => PhaseSweep.Template with
        {
            SigmaW2 = 4, Depth = d, Seed = 1, Width = 8, Samples = 200, Epochs = 1,
        }).Concat(seeded), "the first round, then exactly the seeds the rounds asked for");
        stdout.Should().Contain($"Wrote {records.Count} records");
        File.ReadAllText(Path.Combine(run, PhaseReport.File)).Should().Contain(PhaseReport.Tables(grid));
    }
}
