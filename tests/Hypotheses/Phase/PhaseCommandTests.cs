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
    static readonly string[] RoundsGrid = ["phase", "--sigma-w2", "4", "--depth", "2", "3", "--seed", "1", "--max-seeds", "2",
                                           "--width", "8", "--samples", "200", "--epochs", "1", "--parallel", "1"];

    static string LatestCsv(string output)
    {
        string runs = Path.Combine(output, "runs");
        return File.ReadAllText(Path.Combine(runs, File.ReadAllText(Path.Combine(runs, "latest.txt")).Trim(), PhaseReport.CsvFile));
    }

    [Test(Description = "phase resumes from its results folder, and the tasks of a job array split each round; the diagram is the same")]
    public void Phase_resumes_and_shards_to_the_same_diagram()
    {
        using var whole = new TempFolder("cli-phase-whole-");
        CliProcess.Run([.. RoundsGrid, "--out", whole.Path]).ExitCode.Should().Be(0);
        var again = CliProcess.Run([.. RoundsGrid, "--out", whole.Path]);
        again.ExitCode.Should().Be(0, again.Error);
        again.Out.Should().Contain("Round 1: 2 run(s) in 2 cell(s); 0 to train").And.Contain("Round 2:").And.NotContain("done:",
            "every record of every round is in the results folder");

        using var sharded = new TempFolder("cli-phase-shards-");
        var task = (string shard) => CliProcess.Run([.. RoundsGrid, "--out", sharded.Path, "--shard", shard]);
        task("0/2").Out.Should().Contain("run(s) of other shards not finished yet");
        task("1/2").Out.Should().Contain("Round 2:", "the first round is finished: this task goes on to its part of the next");
        var last = task("0/2");
        last.ExitCode.Should().Be(0, last.Error);
        last.Out.Should().Contain("every round is finished");
        Directory.Exists(Path.Combine(sharded.Path, "runs")).Should().BeFalse("a task writes no diagram");
        var final = CliProcess.Run([.. RoundsGrid, "--out", sharded.Path]);
        final.ExitCode.Should().Be(0, final.Error);
        final.Out.Should().NotContain("done:");
        LatestCsv(sharded.Path).Should().Be(LatestCsv(whole.Path), "the same records, whoever trained them");
    }
}
