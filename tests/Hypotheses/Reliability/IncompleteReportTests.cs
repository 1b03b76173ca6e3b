using Experiments.Phase;
using Experiments.Plotting;
using Experiments.Records;
using Experiments.Reporting;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>A report over an interrupted or partly failed grid says so, with counts, at its top and beside its verdict.</summary>
[TestFixture, Category("Reliability")]
public class IncompleteReportTests
{
    static ExperimentSpec Cell(double sigmaW2, int depth) => PhaseSweep.Point(sigmaW2, depth) with { Samples = 200, Epochs = 1 };

    static string Verdict(string phaseMd) => phaseMd[phaseMd.IndexOf("## Verdict", StringComparison.Ordinal)..];

    [Test(Description = "A 2 × 2 grid with one cell missing and one stopped early: phase.md says 2 of 4 runs, at the top and in the verdict")]
    public void Phase_md_of_an_interrupted_grid_says_it_is_incomplete()
    {
        var records = new[]
        {
            MadeUpRecords.Of(Cell(1, 2), 0.9), MadeUpRecords.Of(Cell(1, 3), 0.9),
            MadeUpRecords.Of(Cell(4, 2), 0.9, complete: false), // interrupted; (4, 3) never started
        };
        var grid = PhaseGrid.FromRecords(records);

        string md = PhaseReport.Write("r", grid, records, null, []);

        md.Should().Contain("Incomplete: 2 of 4 runs finished");
        Verdict(md).Should().Contain("Incomplete: 2 of 4 runs finished", "the verdict is from part of the grid");
        md.Should().Contain("1 did not complete").And.Contain("1 have no record");
    }

    [Test(Description = "A whole column that never ran is counted from the runs the job planned")]
    public void Phase_md_counts_the_planned_cells()
    {
        var records = new[] { MadeUpRecords.Of(Cell(1, 2), 0.9), MadeUpRecords.Of(Cell(1, 3), 0.9) };

        PhaseReport.Write("r", PhaseGrid.FromRecords(records), records, null, [], planned: 4).Should().Contain("Incomplete: 2 of 4 runs finished");
    }

    [Test(Description = "A complete grid says nothing of the kind")]
    public void A_complete_grid_is_not_called_incomplete()
    {
        var records = new[] { MadeUpRecords.Of(Cell(1, 2), 0.9), MadeUpRecords.Of(Cell(1, 3), 0.9) };
        PhaseReport.Write("r", PhaseGrid.FromRecords(records), records, null, []).Should().NotContain("ncomplete");
    }

    [Test(Description = "Adaptive seeds leave cells with different numbers of seeds: that is not a hole")]
    public void A_grid_with_more_seeds_in_some_cells_is_not_called_incomplete()
    {
        var records = new[] { MadeUpRecords.Of(Cell(1, 2), 0.9), MadeUpRecords.Of(Cell(1, 3), 0.9), MadeUpRecords.Of(Cell(1, 3) with { Seed = 2 }, 0.9) };
        PhaseReport.Write("r", PhaseGrid.FromRecords(records), records, null, []).Should().NotContain("ncomplete");
    }

    [Test(Description = "report.md over records one of which stopped early says how many of how many finished")]
    public void Report_md_counts_the_runs_that_finished()
    {
        var spec = new ExperimentSpec { Depth = 2, Width = 16, Samples = 200, Epochs = 1 };
        var records = new[] { MadeUpRecords.Of(spec), MadeUpRecords.Of(spec with { Seed = 2 }), MadeUpRecords.Of(spec with { Seed = 3 }, complete: false) };

        string md = ReportWriter.Write("r", records, [], verdicts: null);

        md.Should().Contain("Incomplete: 2 of 3 runs finished").And.Contain("1 did not complete");
        md.IndexOf("Incomplete", StringComparison.Ordinal).Should().BeLessThan(md.IndexOf("## Conditions", StringComparison.Ordinal), "it is said first");
    }
}
