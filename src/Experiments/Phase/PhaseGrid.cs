using Experiments.Models;
using Experiments.Records;
using Experiments.Theory;

namespace Experiments.Phase;

/// <summary>One run of a phase grid, as phase.csv lists it.</summary>
public sealed record PhaseCell(double SigmaW2, int Depth, int Seed, long Steps, double Accuracy, double TestAccuracy, bool Diverged)
{
    public static PhaseCell Of(RunRecord record) => new(record.Spec.SigmaW2 ?? double.NaN, record.Spec.Depth, record.Spec.Seed,
        record.Epochs.Skip(1).Sum(e => (long)e.Steps), PhaseGrid.Accuracy(record), record.Final.TestAccuracy, record.Diverged);
}

/// <summary>
/// The phase diagram's numbers, from records (or phase.csv) alone: training accuracy per (σ_w², depth) and seed, each
/// cell's share of seeds that train (<see cref="Trainability"/>), the measured trainability boundary per σ_w² and seed
/// and of the share (with its interval), and the constant k that puts it at k·ξ_c (the mean-field correlation depth
/// scale). The runs differ in σ_w², depth and seed only.
/// </summary>
public sealed class PhaseGrid
{
    /// <summary>Chance accuracy on ten balanced classes (the stratified sample).</summary>
    public const double Chance = 0.1;
    /// <summary>A net "trains" when its accuracy reaches this: halfway between chance (0.1) and the 0.9 that the shallowest
    /// nets reach within the phase budget, so a net that learned nothing and one that learned most sit far on either side.</summary>
    public const double Trained = 0.5;

    readonly Dictionary<(double SigmaW2, int Depth, int Seed), PhaseCell> cells;

    public Activation Activation { get; }
    public double SigmaB2 { get; }
    public IReadOnlyList<double> SigmaW2s { get; }
    public IReadOnlyList<int> Depths { get; }
    public IReadOnlyList<int> Seeds { get; }
    /// <summary>A spec of the grid, for the conditions every run shares (width, optimizer, epochs, data).</summary>
    public ExperimentSpec Template { get; }

    /// <param name="template">The conditions every cell shares; its σ_w², depth and seed are those of one cell or none.</param>
    public PhaseGrid(ExperimentSpec template, IReadOnlyList<PhaseCell> runs)
    {
        if (runs.Count == 0) throw new ArgumentException("a phase grid needs at least one run", nameof(runs));
        Template = template;
        Activation = template.Activation;
        SigmaB2 = template.BiasSigma2;
        cells = runs.ToDictionary(c => (c.SigmaW2, c.Depth, c.Seed));
        SigmaW2s = cells.Keys.Select(k => k.SigmaW2).Distinct().Order().ToList();
        Depths = cells.Keys.Select(k => k.Depth).Distinct().Order().ToList();
        Seeds = cells.Keys.Select(k => k.Seed).Distinct().Order().ToList();
    }

    /// <summary>The grid of records that differ in σ_w², depth and seed only.</summary>
    public static PhaseGrid FromRecords(IReadOnlyList<RunRecord> runs)
    {
        if (runs.Count == 0) throw new ArgumentException("a phase grid needs at least one record", nameof(runs));
        var shared = runs[0].Spec with { SigmaW2 = null, Depth = 0, Seed = 0 };
        if (runs.FirstOrDefault(r => r.Spec with { SigmaW2 = null, Depth = 0, Seed = 0 } != shared) is { } other)
            throw new ArgumentException($"{other.Spec.Label} differs from {runs[0].Spec.Label} in more than σ_w², depth and seed", nameof(runs));
        return new PhaseGrid(runs[0].Spec, runs.Select(PhaseCell.Of).ToList());
    }

    /// <summary>The measure: training accuracy over the last epoch's batches (the share the net got right while taking its last steps).</summary>
    public static double Accuracy(RunRecord record) => record.Final.TrainAccuracy;

    public PhaseCell? Cell(double sigmaW2, int depth, int seed) => cells.GetValueOrDefault((sigmaW2, depth, seed));

    /// <summary>How many seeds each grid point ran (adaptive seeds give some more than others).</summary>
    public IReadOnlyList<int> SeedCounts => [.. SigmaW2s.SelectMany(w => Depths.Select(d => TrainabilityAt(w, d).Seeds))];

    /// <summary>Mean field puts the boundary of this column inside the grid (6ξ_c at most the deepest depth): only there is
    /// k = boundary / ξ_c a fit. Nearer criticality ξ_c outgrows the grid and the training budget sets the depth that trains.</summary>
    public bool Fitted(double sigmaW2) => PaperConstant * XiC(sigmaW2) <= Depths[^1];

    /// <summary>The median accuracy over seeds at a grid point (NaN where no seed has a record).</summary>
    public double MedianAccuracy(double sigmaW2, int depth) =>
        Median(Seeds.Select(s => Cell(sigmaW2, depth, s)).OfType<PhaseCell>().Select(c => c.Accuracy));

    /// <summary>How many of the seeds with a record at a grid point train (accuracy at least <see cref="Trained"/>).</summary>
    public Trainability TrainabilityAt(double sigmaW2, int depth)
    {
        var runs = Seeds.Select(s => Cell(sigmaW2, depth, s)).OfType<PhaseCell>().ToList();
        return new Trainability(runs.Count(c => c.Accuracy >= Trained), runs.Count);
    }

    /// <summary>The median (the mean of the middle two for an even count); NaN for none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Mean-field ξ_c at a weight variance, with the grid's activation and σ_b² (each computed once: a chaotic
    /// σ_w² takes a bisection of bivariate quadratures).</summary>
    public double XiC(double sigmaW2) =>
        xiC.GetOrAdd(sigmaW2, w => new CorrelationMap(new MeanField(Activation, w, SigmaB2)).XiC());

    readonly System.Collections.Concurrent.ConcurrentDictionary<double, double> xiC = new();

    /// <summary>The weight variance where ξ_c diverges (χ₁ = 1).</summary>
    public double CriticalSigmaW2() => CorrelationMap.CriticalSigmaW2(Activation, SigmaB2);

    /// <summary>
    /// The depth where one seed's accuracy first falls through <see cref="Trained"/>, going deeper along a σ_w² column:
    /// interpolated linearly in log depth between the deepest net that still trains and the next. Null when the column
    /// does not cross (every net trains, or the shallowest already fails) or a record is missing.
    /// </summary>
    public double? BoundaryDepth(double sigmaW2, int seed)
    {
        var column = Depths.Select(d => Cell(sigmaW2, d, seed)).ToList();
        return column.Any(c => c is null) ? null : Crossing(column.Select(c => c!.Accuracy).ToList(), Trained);
    }

    /// <summary>
    /// The depth where the share of seeds that train first falls below one half, going deeper along a σ_w² column,
    /// interpolated in log depth; with a 95% interval from a parametric bootstrap: each cell's probability of training
    /// drawn from its Jeffreys posterior Beta(trained + ½, failed + ½), <paramref name="draws"/> times from a fixed
    /// generator, and the crossing of the drawn probabilities taken each time. Resampling the seeds themselves would give
    /// a cell whose 3 seeds all train a certain 3 of 3, and the boundary between two such cells an interval of width 0.
    /// A draw without a crossing counts as a boundary past the grid's end on its side (every depth trains: ∞; none: 0).
    /// Null where the column does not cross or a depth has no run.
    /// </summary>
    public (double Depth, double Low, double High)? ShareBoundary(double sigmaW2, int draws = 2000)
    {
        var shares = Depths.Select(d => TrainabilityAt(sigmaW2, d)).ToList();
        if (shares.Any(s => s.Seeds == 0) || Crossing(shares.Select(s => s.Fraction).ToList(), 0.5) is not { } depth) return null;
        var random = new Random(1);
        var estimates = new double[draws];
        for (int r = 0; r < draws; r++)
        {
            var drawn = shares.Select(s => MathNet.Numerics.Distributions.Beta.Sample(random, s.Trained + 0.5, s.Seeds - s.Trained + 0.5)).ToList();
            estimates[r] = Crossing(drawn, 0.5) ?? (drawn[0] < 0.5 ? 0 : double.PositiveInfinity);
        }
        Array.Sort(estimates);
        return (depth, estimates[(int)(0.025 * (draws - 1))], estimates[(int)Math.Ceiling(0.975 * (draws - 1))]);
    }

    /// <summary>Where values along the depths (shallowest first) first fall below <paramref name="level"/>, interpolated
    /// linearly in log depth between the last depth at or above it and the next; null when the shallowest is already below
    /// or none falls.</summary>
    double? Crossing(IReadOnlyList<double> values, double level)
    {
        if (values[0] < level) return null;
        for (int i = 1; i < values.Count; i++)
        {
            if (values[i] >= level) continue;
            double t = (values[i - 1] - level) / (values[i - 1] - values[i]);
            return Math.Exp(Math.Log(Depths[i - 1]) + t * (Math.Log(Depths[i]) - Math.Log(Depths[i - 1])));
        }
        return null;
    }

    /// <summary>The constant of Schoenholz et al. 2017: nets deeper than about 6ξ_c do not train.</summary>
    public const double PaperConstant = 6;

    /// <summary>
    /// k = boundary depth / ξ_c for every σ_w² and seed whose column crosses inside the grid. <c>Fitted</c> marks the columns
    /// where mean field puts the boundary inside the grid (6ξ_c at most the deepest depth): nearer criticality ξ_c outgrows
    /// the grid, and the depth that trains is set by the training budget, not by ξ_c.
    /// </summary>
    public IReadOnlyList<(double SigmaW2, int Seed, double K, bool Fitted)> BoundaryConstants() =>
        (from sigmaW2 in SigmaW2s
         from seed in Seeds
         let depth = BoundaryDepth(sigmaW2, seed)
         where depth is not null
         select (sigmaW2, seed, depth!.Value / XiC(sigmaW2), Fitted(sigmaW2))).ToList();

    /// <summary>The SGD steps of the grid's longest run (every run takes the same number unless it diverged or was interrupted).</summary>
    public long Steps => cells.Values.Max(c => c.Steps);
}
