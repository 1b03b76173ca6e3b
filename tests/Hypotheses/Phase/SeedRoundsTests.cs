using Experiments.Phase;
using Experiments.Records;
using FluentAssertions;
using NUnit.Framework;

namespace Hypotheses.Phase;

/// <summary>Adaptive seeds: which cells get more seeds after a round, and when a column's boundary counts as placed.</summary>
[TestFixture, Category("Phase")]
public class SeedRoundsTests
{
    static readonly int[] Depths = [10, 20, 30, 45, 65, 100];
    static readonly SeedRounds Rounds = new([1, 2, 3, 4], MaxSeeds: 16);

    /// <summary>One σ_w² column: at each depth, <paramref name="seeds"/> seeds of which the first <c>trained</c> train.</summary>
    static PhaseGrid Column(int seeds, params int[] trained) => new(PhaseSweep.Template,
        [.. Depths.Zip(trained).SelectMany(c => Enumerable.Range(1, seeds)
            .Select(s => new PhaseCell(4, c.First, s, 500, s <= c.Second ? 0.9 : 0.1, 0.5, false)))]);

    static IEnumerable<(int Depth, int Seed)> Cells(IEnumerable<ExperimentSpec> specs) => specs.Select(s => (s.Depth, s.Seed));

    [Test(Description = "Four agreeing seeds a cell leave the boundary's interval wider than a step: the cells it covers get four more")]
    public void An_unplaced_boundary_gets_seeds_in_the_cells_it_covers()
    {
        var grid = Column(4, 4, 4, 4, 0, 0, 0);
        var boundary = grid.ShareBoundary(4)!.Value;
        SeedRounds.Resolved(Depths, boundary).Should().BeFalse($"the interval {boundary} spans more than 30 to 45");

        var next = Rounds.Next(grid);
        next.Select(s => s.Seed).Distinct().Should().Equal([5, 6, 7, 8], "as many seeds again, after the largest");
        var depths = next.Select(s => s.Depth).Distinct().ToList();
        depths.Should().Contain([30, 45], "the two cells either side of the crossing");
        depths.Should().Equal(Depths.Where(d => d >= depths.Min() && d <= depths.Max()), "a run of neighbouring cells");
        depths.Should().NotContain(100, "three failing cells past the crossing: the deepest cannot move it");
        next.Select(s => s with { Depth = 0, Seed = 0 }).Distinct().Should().Equal([PhaseSweep.Template with { SigmaW2 = 4, Depth = 0, Seed = 0 }],
            "the grid's conditions, with the column's σ_w²");
    }

    [Test]
    public void A_boundary_placed_within_one_step_gets_no_more_seeds()
    {
        var grid = Column(16, 16, 16, 16, 0, 0, 0);
        SeedRounds.Resolved(Depths, grid.ShareBoundary(4)!.Value).Should().BeTrue();
        Rounds.Next(grid).Should().BeEmpty();
    }

    [Test]
    public void A_column_that_does_not_cross_seeds_only_its_undecided_cells()
    {
        Rounds.Next(Column(4, 4, 4, 4, 4, 4, 3)).Select(s => s.Depth).Distinct().Should().Equal([100], "3 of 4 at 100 may not train");
        Rounds.Next(Column(4, 4, 4, 4, 4, 4, 4)).Should().BeEmpty("every cell decided and every depth trains: no boundary in the grid");
    }

    [Test]
    public void A_cell_gets_no_more_than_the_most_seeds()
    {
        new SeedRounds([1, 2, 3, 4], MaxSeeds: 4).Next(Column(4, 4, 4, 4, 0, 0, 0)).Should().BeEmpty("a fixed grid");
        var next = new SeedRounds([1, 2, 3, 4], MaxSeeds: 6).Next(Column(4, 4, 4, 4, 0, 0, 0));
        next.Should().NotBeEmpty().And.OnlyContain(s => s.Seed == 5 || s.Seed == 6, "two seeds left to the budget");
    }

    [TestCase(30, 25, 35, true)] // ln(35/25) = 0.34 within ln(45/30) = 0.41
    [TestCase(30, 21, 44, false)] // inside 20..45, but wider than the step 30..45
    [TestCase(30, 0, 40, false)] // runs off the grid's shallow end
    [TestCase(30, 25, double.PositiveInfinity, false)]
    public void A_boundary_is_placed_when_its_interval_is_no_wider_than_its_grid_step(double depth, double low, double high, bool resolved) =>
        SeedRounds.Resolved(Depths, (depth, low, high)).Should().Be(resolved);

    [Test(Description = "On a simulated column with a known boundary, rounds place it to within a step with fewer trainings than " +
                        "giving every cell the most seeds")]
    public void Rounds_place_a_simulated_boundary_with_fewer_trainings_than_a_full_grid()
    {
        // Each cell trains with a probability falling through one half between 30 and 45 layers; a seed's outcome is a draw.
        double Probability(int depth) => 1 / (1 + Math.Pow(depth / 37.0, 8));
        bool Trains(int depth, int seed) => new Random(depth * 1000 + seed).NextDouble() < Probability(depth);
        var runs = Depths.SelectMany(d => Enumerable.Range(1, 4).Select(s => (Depth: d, Seed: s))).ToList();
        PhaseGrid Grid() => new(PhaseSweep.Template, [.. runs.Select(r => new PhaseCell(4, r.Depth, r.Seed, 500, Trains(r.Depth, r.Seed) ? 0.9 : 0.1, 0.5, false))]);
        for (var next = Rounds.Next(Grid()); next.Count > 0; next = Rounds.Next(Grid())) runs.AddRange(Cells(next));

        var boundary = Grid().ShareBoundary(4)!.Value;
        boundary.Depth.Should().BeInRange(30, 45);
        SeedRounds.Resolved(Depths, boundary).Should().BeTrue($"the rounds stopped with the interval {boundary}");
        runs.Count.Should().BeLessThan(Depths.Length * Rounds.MaxSeeds, "seeds only where the boundary is");
    }
}
