using Experiments.Phase;
using Experiments.Records;
using Hypotheses.Support;
using Hypotheses.Vocabulary;
using NUnit.Framework;

namespace Hypotheses.Phase;

/// <summary>
/// Schoenholz et al. 2017's phase diagram at the phase command's conditions (Phase/PhaseSweep: tanh, σ_b² = 0.05,
/// width 64, 500 SGD steps), judged on each cell's share of seeds that train and its 95% interval, not on a median: a
/// cell next to the boundary is a coin flip. The σ_w² here sit on both sides of the critical 1.76 and far enough from it
/// that 6ξ_c (22, 71 and 42 layers) lies inside the depths.
/// </summary>
[TestFixture, Category("Phase")]
public class PhaseHypotheses
{
    static readonly double[] BoundaryColumns = [1, 2.5, 4];
    static readonly double[] ChaoticColumns = [2.5, 4];

    // One half is what decides a cell (Trainability.Undecided): over the grid's 4 first seeds only 4 of 4 puts the Wilson
    // interval's low end above it (0.51), so a single seed that does not train refutes the claim at that cell. Measured:
    // 4 of 4 at each cell below (depths 3 and 6 lie under the grid's 10, inside ξ_c where 10 is not).
    [TestCase(1.0, 3)] // ordered: ξ_c = 3.6
    [TestCase(1.75, 30)] // near critical: ξ_c = 426
    [TestCase(2.5, 10)] // chaotic: ξ_c = 11.8
    [TestCase(4.0, 6)] // chaotic: ξ_c = 7.0
    [Test(Description = "Nets within the mean-field depth scale train: the 95% interval of the share of seeds that train lies above one half")]
    public void Inside_xi_c_the_share_of_seeds_that_train_is_above_one_half(double sigmaW2, int depth) =>
        Share(sigmaW2, depth, t => t.Interval.Low, "low end").ShouldAllBeAbove(0.5, Claim.PhaseInsideTrains, "holds");

    // As above, mirrored: only 0 of 4 puts the interval's high end below one half (0.49).
    [TestCase(1.0, 100)] // 100 layers = 4.6 × 6ξ_c
    [TestCase(2.5, 100)] // 1.4 × 6ξ_c
    [TestCase(4.0, 100)] // 2.4 × 6ξ_c
    [Test(Description = "Nets much deeper than 6ξ_c do not train: the 95% interval of the share of seeds that train lies below one half")]
    public void Beyond_six_xi_c_the_share_of_seeds_that_train_is_below_one_half(double sigmaW2, int depth) =>
        Share(sigmaW2, depth, t => t.Interval.High, "high end").ShouldAllBeBelow(0.5, Claim.PhaseOutsideFails, "holds");

    // Near chance: below 0.2, chance (0.1) plus a quarter of the way to the trained level. Measured over seeds 1-3:
    // σ_w² = 1 at 100 layers 0.096-0.113; 4 at 100 0.094-0.148.
    [TestCase(1.0, 100)]
    [TestCase(4.0, 100)]
    [Test(Description = "Nets much deeper than 6ξ_c stay at chance")]
    public void Nets_far_deeper_than_six_xi_c_stay_at_chance(double sigmaW2, int depth) =>
        Measured.Of(PhaseSweep.Point(sigmaW2, depth), Measure.TrainAccuracy)
            .ShouldAllBeBelow(0.2, Claim.PhaseOutsideFails, "holds");

    [Test(Description = "Adaptive seeds place each column's boundary to within one grid step")]
    public void Each_boundary_is_placed_within_one_grid_step()
    {
        var grid = Grid.Value;
        foreach (double w in BoundaryColumns)
            NUnit.Framework.Assert.That(grid.ShareBoundary(w) is { } b && SeedRounds.Resolved(grid.Depths, b), Is.True,
                $"σ_w² {w}: the share's boundary {grid.ShareBoundary(w)} over {string.Join(", ", grid.Depths.Select(d => grid.TrainabilityAt(w, d)))}");
    }

    // k of the share with its 95% interval, measured with adaptive seeds (phase, defaults: 4 seeds a cell, 8 where the boundary
    // needed them): σ_w² = 1 (ordered) 4.80 (3.91 to 6.27); 2.5 4.31 (3.57 to 4.66); 4 3.96 (3.52 to 4.93).
    [Test(Description = "The trainability boundary scales with ξ_c: the same multiple k of ξ_c on both sides of criticality")]
    public void The_boundary_is_a_fixed_multiple_of_xi_c() =>
        // [3, 8]: every measured interval end with half a unit or more to spare; a boundary at one depth for every σ_w² (the
        // training budget's limit, as near criticality) would give k from 2.5 to 8.3 over these columns, outside the band.
        BoundaryConstants(BoundaryColumns).ShouldAllBeBetween(3, 8, Claim.PhaseBoundaryAtSixXiC, $"holds with k = {Verdict(BoundaryColumns)} in place of 6");

    [Test(Description = "On the chaotic side the boundary is below 6ξ_c at this training budget")]
    public void On_the_chaotic_side_the_boundary_is_below_six_xi_c() =>
        // Upper end 6: the paper's constant (after far longer training; its trainable depth grows with training time). The
        // intervals' high ends measured 4.66 and 4.93, a sixth or more below it; lower end 3 as above.
        BoundaryConstants(ChaoticColumns).ShouldAllBeBetween(3, PhaseGrid.PaperConstant, Claim.PhaseBoundaryAtSixXiC,
            $"refuted on the chaotic side at 500 SGD steps: k = {Verdict(ChaoticColumns)}");

    /// <summary>One end of a cell's interval of the share of seeds that train, over the grid's first seeds.</summary>
    static Measured Share(double sigmaW2, int depth, Func<Trainability, double> end, string which)
    {
        var records = Train(PhaseSweep.Seeds.Select(s => PhaseSweep.Point(sigmaW2, depth, s)));
        var share = PhaseGrid.FromRecords(records).TrainabilityAt(sigmaW2, depth);
        var measure = new Measure($"{which} of the 95% interval of the share of seeds that train (accuracy ≥ {PhaseGrid.Trained})", _ => double.NaN);
        return new Measured(PhaseSweep.Point(sigmaW2, depth), measure, [end(share)],
            Labels: [$"{share.Trained} of {share.Seeds} seeds train"], SeedText: string.Join(",", PhaseSweep.Seeds));
    }

    /// <summary>The ends of k's 95% interval (the share's boundary depth over ξ_c) per column; a column whose share does not cross
    /// inside the grid gives NaN, which no band holds.</summary>
    static Measured BoundaryConstants(double[] columns)
    {
        var grid = Grid.Value;
        var ends = columns.Select(w => grid.ShareBoundary(w) is { } b ? new[] { b.Low / grid.XiC(w), b.High / grid.XiC(w) } : [double.NaN, double.NaN]);
        var measure = new Measure("k = boundary of the share of seeds that train / ξ_c, the ends of its 95% interval", _ => double.NaN);
        return new Measured(PhaseSweep.Template, measure, [.. ends.SelectMany(e => e)],
            $"tanh nets, σ_w² ∈ {{{string.Join(", ", columns)}}} × depths {string.Join(", ", PhaseSweep.Depths)}",
            Labels: [.. columns.SelectMany(w => new[] { $"σ_w² {w}, low end", $"σ_w² {w}, high end" })], SeedText: SeedText);
    }

    static string Verdict(double[] columns) => string.Join("; ", columns.Select(w => Grid.Value.ShareBoundary(w) is { } b
        ? $"{Measured.Num(b.Depth / Grid.Value.XiC(w))} ({Measured.Num(b.Low / Grid.Value.XiC(w))} to {Measured.Num(b.High / Grid.Value.XiC(w))}) at σ_w² {w}"
        : $"none at σ_w² {w}"));

    static readonly SeedRounds Rounds = new(PhaseSweep.Seeds, PhaseSweep.MaxSeeds);
    static readonly string SeedText = $"{string.Join(",", PhaseSweep.Seeds)} a cell, up to {PhaseSweep.MaxSeeds} where the boundary needs them";

    /// <summary>The boundary columns over every depth, with adaptive seeds as the phase command adds them, trained once per
    /// test process (the run cache).</summary>
    static readonly Lazy<PhaseGrid> Grid = new(() =>
    {
        var records = Train(from w in BoundaryColumns from d in PhaseSweep.Depths from s in PhaseSweep.Seeds select PhaseSweep.Point(w, d, s)).ToList();
        for (var next = Rounds.Next(PhaseGrid.FromRecords(records)); next.Count > 0; next = Rounds.Next(PhaseGrid.FromRecords(records)))
            records.AddRange(Train(next));
        return PhaseGrid.FromRecords(records);
    });

    static IReadOnlyList<RunRecord> Train(IEnumerable<ExperimentSpec> specs) => specs.AsParallel().Select(RunCache.Get).ToList();
}
