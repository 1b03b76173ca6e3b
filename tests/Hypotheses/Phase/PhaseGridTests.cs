using Experiments.Phase;
using Experiments.Plotting;
using Experiments.Records;
using Experiments.Reporting;
using FluentAssertions;
using NUnit.Framework;

namespace Hypotheses.Phase;

/// <summary>The phase grid's boundary estimate and fitted constant on cells made up for the purpose (no training).</summary>
[TestFixture, Category("Phase")]
public class PhaseGridTests
{
    static PhaseCell Cell(double sigmaW2, int depth, double accuracy, int seed = 1) => new(sigmaW2, depth, seed, 500, accuracy, accuracy, false);

    [Test]
    public void The_boundary_is_where_accuracy_falls_through_the_trained_level_interpolated_in_log_depth()
    {
        // 0.9 at 10 layers, 0.1 at 40: 0.5 is halfway, so the boundary is at the geometric mean of 10 and 40, 20 layers.
        var grid = new PhaseGrid(PhaseSweep.Template, [Cell(4, 5, 0.95), Cell(4, 10, 0.9), Cell(4, 40, 0.1), Cell(4, 80, 0.6)]);
        grid.BoundaryDepth(4, seed: 1).Should().BeApproximately(20, 1e-9, "the first fall counts, not a later rise");
        var constant = grid.BoundaryConstants().Should().ContainSingle().Subject;
        constant.K.Should().BeApproximately(20 / grid.XiC(4), 1e-12);
        constant.Fitted.Should().BeTrue("6ξ_c = 42 at σ_w² = 4 lies inside depths up to 80");
    }

    [Test]
    public void A_column_that_does_not_cross_inside_the_grid_has_no_boundary()
    {
        var grid = new PhaseGrid(PhaseSweep.Template,
        [
            Cell(1, 10, 0.9), Cell(1, 20, 0.8), // every depth trains
            Cell(4, 10, 0.2), Cell(4, 20, 0.1), // none does
            Cell(2, 10, 0.9), Cell(2, 20, 0.1), Cell(2, 10, 0.9, seed: 2), // seed 2 misses a depth
        ]);
        grid.BoundaryDepth(1, 1).Should().BeNull();
        grid.BoundaryDepth(4, 1).Should().BeNull();
        grid.BoundaryDepth(2, 2).Should().BeNull();
        grid.BoundaryDepth(2, 1).Should().NotBeNull();
        grid.BoundaryConstants().Should().ContainSingle().Which.Fitted.Should().BeFalse("6ξ_c = 151 at σ_w² = 2 lies beyond 20 layers");
    }

    [Test]
    public void Records_that_differ_in_more_than_sigma_w2_depth_and_seed_are_refused()
    {
        var record = new RunRecord(RunRecord.CurrentSchema, "", PhaseSweep.Point(1, 10), null!, null!, null, [new EpochRecord(0, 1, 2.3, 0.1, 2.3, 0.1, [])], null, true);
        var other = record with { Spec = PhaseSweep.Point(1, 10) with { Width = 32 } };
        FluentActions.Invoking(() => PhaseGrid.FromRecords([record, other])).Should().Throw<ArgumentException>().WithMessage("*differs*");
        PhaseGrid.FromRecords([record, record with { Spec = PhaseSweep.Point(2, 20, seed: 3) }]).Seeds.Should().Equal(1, 3);
    }
}
