using Experiments.Records;

namespace Experiments.Phase;

/// <summary>
/// Adaptive seeds for a phase grid: every cell starts with the same seeds; then, round by round, the cells that a column's
/// boundary still depends on get as many seeds again, until the boundary's interval (<see cref="PhaseGrid.ShareBoundary"/>)
/// spans at most one grid step or those cells hold <see cref="MaxSeeds"/>. Far from the boundary four seeds decide a cell,
/// so the seeds go where the boundary is.
/// </summary>
/// <remarks>
/// Why cells the boundary's interval covers, not only undecided ones: a cell whose 4 seeds all train is decided (Wilson
/// [0.51, 1]) yet keeps 1.5% of its Jeffreys posterior below one half, and three such cells above the boundary put its
/// interval's low end a grid step too shallow. Four more seeds there (8 of 8: 0.07%) settle it.
/// </remarks>
public sealed record SeedRounds(IReadOnlyList<int> FirstSeeds, int MaxSeeds)
{
    /// <summary>Seeds added to a cell per round: as many as it started with.</summary>
    public int Step => FirstSeeds.Count;

    /// <summary>
    /// The next round's specs after the records so far (every earlier round complete): for each σ_w² column whose boundary
    /// is not <see cref="Resolved"/>, the cells from the grid depth at or below its interval's low end to the one at or above
    /// its high end (a column that does not cross: its undecided cells), each given <see cref="Step"/> seeds after its
    /// largest while it holds fewer than <see cref="MaxSeeds"/>. Empty when the grid is done.
    /// </summary>
    public IReadOnlyList<ExperimentSpec> Next(PhaseGrid grid) =>
        [.. from sigmaW2 in grid.SigmaW2s
            from depth in CellsToSeed(grid, sigmaW2)
            let seeds = grid.Seeds.Where(s => grid.Cell(sigmaW2, depth, s) is not null).ToList()
            where seeds.Count < MaxSeeds
            from seed in Enumerable.Range(seeds.Max() + 1, Math.Min(Step, MaxSeeds - seeds.Count))
            select grid.Template with { SigmaW2 = sigmaW2, Depth = depth, Seed = seed }];

    static IEnumerable<int> CellsToSeed(PhaseGrid grid, double sigmaW2)
    {
        if (grid.ShareBoundary(sigmaW2) is not { } boundary)
            return grid.Depths.Where(d => grid.TrainabilityAt(sigmaW2, d).Undecided);
        if (Resolved(grid.Depths, boundary)) return [];
        int below = grid.Depths.LastOrDefault(d => d <= boundary.Low, grid.Depths[0]);
        int above = grid.Depths.FirstOrDefault(d => d >= boundary.High, grid.Depths[^1]);
        return grid.Depths.Where(d => below <= d && d <= above);
    }

    /// <summary>A boundary is resolved when its interval is at most as wide, in log depth, as the grid step that holds the
    /// estimate (so it is placed to within one step); an interval that runs off the grid (0 or ∞) is not.</summary>
    public static bool Resolved(IReadOnlyList<int> depths, (double Depth, double Low, double High) boundary)
    {
        if (depths.Count < 2 || !(boundary.Low > 0) || double.IsInfinity(boundary.High)) return false;
        int step = Math.Clamp(depths.Count(d => d <= boundary.Depth) - 1, 0, depths.Count - 2);
        return Math.Log(boundary.High / boundary.Low) <= Math.Log((double)depths[step + 1] / depths[step]) + 1e-12;
    }
}
