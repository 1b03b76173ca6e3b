using Experiments.Phase;
using Experiments.Reporting;
using FluentAssertions;
using NUnit.Framework;

namespace Hypotheses.Phase;

/// <summary>A cell's share of seeds that train and its Wilson interval, against the score test inverted numerically.</summary>
[TestFixture, Category("Phase")]
public class TrainabilityTests
{
    const double Z = 1.959963984540054;

    /// <summary>The oracle: the shares p whose score statistic |p̂ − p| / √(p(1−p)/n) is at most Z, found by bisection on
    /// each side of p̂ (the definition the closed form solves, computed another way).</summary>
    static (double Low, double High) ScoreInterval(int trained, int seeds)
    {
        double observed = (double)trained / seeds;
        bool Inside(double p) => p > 0 && p < 1 && Math.Abs(observed - p) <= Z * Math.Sqrt(p * (1 - p) / seeds);
        double Edge(double inside, double outside)
        {
            for (int i = 0; i < 200; i++)
            {
                double middle = (inside + outside) / 2;
                if (Inside(middle)) inside = middle; else outside = middle;
            }
            return inside;
        }
        double start = Math.Clamp(observed, 1e-12, 1 - 1e-12);
        return (trained == 0 ? 0 : Edge(start, 0), trained == seeds ? 1 : Edge(start, 1));
    }

    [Test]
    public void The_interval_is_the_inverted_score_test()
    {
        for (int seeds = 1; seeds <= 12; seeds++)
            for (int trained = 0; trained <= seeds; trained++)
            {
                var (low, high) = new Trainability(trained, seeds).Interval;
                var oracle = ScoreInterval(trained, seeds);
                low.Should().BeApproximately(oracle.Low, 1e-9, $"{trained} of {seeds}");
                high.Should().BeApproximately(oracle.High, 1e-9, $"{trained} of {seeds}");
            }
    }

    [TestCase(3, 3, true)] // [0.44, 1]: three agreeing seeds cannot place a cell
    [TestCase(4, 4, false)] // [0.51, 1]
    [TestCase(0, 4, false)] // [0, 0.49]
    [TestCase(3, 6, true)]
    [TestCase(0, 0, true)] // no seed: nothing is known
    public void A_cell_is_decided_only_when_its_interval_excludes_one_half(int trained, int seeds, bool undecided) =>
        new Trainability(trained, seeds).Undecided.Should().Be(undecided);

    static PhaseGrid Column(int seeds, params (int Depth, int Trained)[] cells) => new(PhaseSweep.Template,
        [.. cells.SelectMany(c => Enumerable.Range(1, seeds).Select(s => new PhaseCell(4, c.Depth, s, 500, s <= c.Trained ? 0.9 : 0.1, 0.5, false)))]);

    [Test(Description = "The boundary of the share lies between the last depth that trains and the first that does not, and its interval " +
                        "stays there only when enough seeds agree")]
    public void The_boundary_of_the_share_is_as_certain_as_its_seeds()
    {
        // Shares 1, 1, 0, 0: the crossing is halfway in log depth between 20 and 40.
        var many = Column(20, (10, 20), (20, 20), (40, 0), (80, 0)).ShareBoundary(4)!.Value;
        many.Depth.Should().BeApproximately(Math.Sqrt(20 * 40), 1e-9);
        many.Low.Should().BeGreaterThan(20).And.BeLessThan(many.Depth, "20 of 20 at depth 20 leaves little doubt that it trains");
        many.High.Should().BeLessThan(40).And.BeGreaterThan(many.Depth);

        var few = Column(3, (10, 3), (20, 3), (40, 0), (80, 0)).ShareBoundary(4)!.Value;
        few.Depth.Should().Be(many.Depth, "the same shares");
        few.Low.Should().BeLessThan(20, "3 of 3 at depth 20 could be a cell that trains half the time or less");
        Column(3, (10, 3), (20, 3), (40, 0), (80, 0)).ShareBoundary(4).Should().Be(few, "a fixed generator: the same interval every time");
        Column(3, (10, 3), (20, 3)).ShareBoundary(4).Should().BeNull("a column that does not cross has no boundary");
    }

    [Test]
    public void The_grid_counts_the_seeds_that_reach_the_trained_level_and_phase_csv_carries_them()
    {
        PhaseCell Cell(int seed, double accuracy) => new(4, 30, seed, 500, accuracy, accuracy, false);
        var grid = new PhaseGrid(PhaseSweep.Template, [Cell(1, 0.9), Cell(2, 0.5), Cell(3, 0.49)]);

        grid.TrainabilityAt(4, 30).Should().Be(new Trainability(2, 3), "0.5 counts as trained, 0.49 does not");
        string csv = PhaseReport.Csv(grid);
        csv.Split('\n')[1].Should().EndWith($",2,3,{Experiments.Records.SpecNames.Number(new Trainability(2, 3).Interval.Low)}," +
                                           $"{Experiments.Records.SpecNames.Number(new Trainability(2, 3).Interval.High)}");
        PhaseReport.ReadCsv(csv, "phase.csv").Should().HaveCount(3, "the columns added are read past");
    }
}
