using System.Globalization;
using System.Text;
using Experiments.Phase;
using Experiments.Plotting;
using Experiments.Records;

namespace Experiments.Reporting;

/// <summary>phase.md: the grid's conditions, the accuracy and seeds-that-train tables, the measured boundary against ξ_c
/// (per seed, and of the share with its interval), and the verdict.</summary>
public static class PhaseReport
{
    public const string File = "phase.md";
    public const string CsvFile = "phase.csv";

    /// <param name="planned">The cells the job set out to train; at least the grid's σ_w² × depths × seeds.</param>
    public static string Write(string runId, PhaseGrid grid, IReadOnlyList<RunRecord> records, string? figure, IReadOnlyList<string> problems,
        int? planned = null)
    {
        string? incomplete = Incompleteness(grid, records, planned);
        var data = records[0].Data; // every point of the grid runs on the same data
        var md = new StringBuilder();
        md.AppendLine($"# Phase diagram: run {runId}").AppendLine();
        if (incomplete != null) md.AppendLine(incomplete).AppendLine();
        md.AppendLine($"Which depths of {RecordJson.Name(grid.Activation)} MLPs train at which weight variance σ_w², against the mean-field ")
          .AppendLine("correlation depth scale ξ_c = −1/ln χ_c (Schoenholz et al. 2017, \"Deep Information Propagation\": nets deeper than about ")
          .AppendLine($"6ξ_c do not train). The measure is the training accuracy over the last epoch's batches; chance is {F(PhaseGrid.Chance)}, ")
          .AppendLine($"and a net counts as trained from {F(PhaseGrid.Trained)} on.").AppendLine();

        md.AppendLine("## Conditions").AppendLine();
        md.AppendLine(ReportWriter.MarkdownTable(["setting", "value"],
            ReportWriter.Conditions(records.Select(r => r.Spec).ToList(), data).Select(c => new[] { c.Item1, c.Item2 }))).AppendLine();
        md.AppendLine($"Each run takes {grid.Steps} SGD steps. Critical σ_w² (χ₁ = 1, where ξ_c diverges): {F(grid.CriticalSigmaW2())}.").AppendLine();

        if (figure != null) md.AppendLine($"![{figure}]({figure})").AppendLine();

        md.Append(Tables(grid, incomplete));

        if (problems.Count > 0)
        {
            md.AppendLine("## Problems").AppendLine();
            foreach (string problem in problems) md.AppendLine($"- {problem}");
            md.AppendLine();
        }
        var environment = records[0].Environment;
        md.AppendLine("## Environment").AppendLine();
        md.AppendLine($"TorchSharp {environment.TorchSharp}, libtorch {environment.LibTorch}, {environment.Os}, {environment.Cpu}, " +
                      $"{environment.Threads} libtorch thread(s) per run.");
        if (data.Credit != null) md.AppendLine().AppendLine(data.Credit);
        return md.ToString();
    }

    /// <summary>The accuracy and seeds-that-train tables, the boundary against ξ_c and the verdict: everything phase.md says about the grid itself
    /// (numbers to three decimals, so that a snapshot of it holds on every machine).</summary>
    /// <param name="incomplete">What the verdict is not based on, said beside it (<see cref="Incompleteness"/>).</param>
    public static string Tables(PhaseGrid grid, string? incomplete = null)
    {
        var md = new StringBuilder();
        var counts = grid.SeedCounts;
        md.AppendLine("## Training accuracy" + (counts.Min() != counts.Max() ? $" (median of each cell's seeds, {counts.Min()} to {counts.Max()})"
            : grid.Seeds.Count > 1 ? $" (median of seeds {string.Join(", ", grid.Seeds)})" : "")).AppendLine();
        md.AppendLine(ReportWriter.MarkdownTable(["depth \\ σ_w²", .. grid.SigmaW2s.Select(SpecNames.Number)],
            grid.Depths.Reverse().Select(d => new[] { d.ToString(CultureInfo.InvariantCulture) }
                .Concat(grid.SigmaW2s.Select(w => F(grid.MedianAccuracy(w, d)))).ToArray()))).AppendLine();

        md.AppendLine("## Seeds that train").AppendLine();
        md.AppendLine(ReportWriter.MarkdownTable(["depth \\ σ_w²", .. grid.SigmaW2s.Select(SpecNames.Number)],
            grid.Depths.Reverse().Select(d => new[] { d.ToString(CultureInfo.InvariantCulture) }
                .Concat(grid.SigmaW2s.Select(w => Share(grid.TrainabilityAt(w, d)))).ToArray()))).AppendLine();
        var cells = grid.SigmaW2s.SelectMany(w => grid.Depths.Select(d => grid.TrainabilityAt(w, d))).ToList();
        md.AppendLine($"Seeds whose accuracy reaches {F(PhaseGrid.Trained)}, of those run, with the Wilson 95% interval of the share. ")
          .AppendLine($"A cell is decided when its interval excludes one half (4 of 4 seeds at the fewest); * marks the other " +
                      $"{cells.Count(c => c.Undecided)} of {cells.Count}, which more seeds could put on either side." +
                      (counts.Min() != counts.Max() ? $" {counts.Count(c => c > counts.Min())} cells got more than {counts.Min()} seeds, " +
                                                      "where a column's boundary needed them; the others kept their first." : "")).AppendLine();

        md.AppendLine("## Measured boundary against mean field").AppendLine();
        var constants = grid.BoundaryConstants();
        md.AppendLine(ReportWriter.MarkdownTable(["σ_w²", "ξ_c", "6ξ_c", "measured boundary depth (per seed)", "k = boundary / ξ_c",
                                                  "boundary of the share (95%)", "k of the share (95%)", "within a grid step"],
            grid.SigmaW2s.Select(w => (W: w, Share: grid.ShareBoundary(w))).Select(c => new[]
            {
                SpecNames.Number(c.W), F(grid.XiC(c.W)), F(6 * grid.XiC(c.W)),
                string.Join(", ", grid.Seeds.Where(s => grid.Depths.All(d => grid.Cell(c.W, d, s) is not null)) // seeds the whole column ran
                    .Select(s => grid.BoundaryDepth(c.W, s) is { } depth ? F(depth) : "none inside the grid")),
                string.Join(", ", constants.Where(k => k.SigmaW2 == c.W).Select(k => F(k.K) + (k.Fitted ? "" : " (not fitted)"))),
                c.Share is { } b ? Interval(grid, b, 1) : "none inside the grid",
                c.Share is { } s ? Interval(grid, s, grid.XiC(c.W)) : "",
                c.Share is { } r ? (SeedRounds.Resolved(grid.Depths, r) ? "yes" : "no") : "",
            }))).AppendLine();
        md.AppendLine("The boundary depth (per seed: each seed that ran at every depth of the column) is where the accuracy falls ")
          .AppendLine("through the trained level going deeper, interpolated in log depth ")
          .AppendLine("between the deepest net that trains and the next; \"none inside the grid\" means every depth trains or none does. ")
          .AppendLine("k is fitted only where mean field puts the boundary inside the grid (6ξ_c at most the deepest depth); nearer ")
          .AppendLine("criticality ξ_c outgrows the grid and the training budget, not ξ_c, limits the depth that trains. ")
          .AppendLine("The boundary of the share is where the share of seeds that train falls below one half, with a 95% interval ")
          .AppendLine("from 2,000 draws of each cell's probability of training from its Jeffreys posterior Beta(trained + ½, failed + ½) ")
          .AppendLine("(\"< 10\": some draws put it shallower than the grid's shallowest depth, \"> 100\" deeper than its deepest); ")
          .AppendLine("it is within a grid step when the interval is no wider, in log depth, than the step that holds the boundary.").AppendLine();
        md.AppendLine("## Verdict").AppendLine();
        if (incomplete != null) md.AppendLine(incomplete).AppendLine();
        md.AppendLine(Verdict(grid)).AppendLine();

        return md.ToString();
    }

    /// <summary>"**Incomplete: 10 of 24 runs finished** ..." where runs have no record or stopped early; else null. Cells
    /// hold different numbers of seeds (adaptive seeds), so without <paramref name="planned"/> only a grid point with no
    /// record at all counts as a hole.</summary>
    public static string? Incompleteness(PhaseGrid grid, IReadOnlyList<RunRecord> records, int? planned = null) =>
        ReportWriter.Incompleteness(records, Math.Max(planned ?? 0,
            grid.SeedCounts.Sum(seeds => Math.Max(1, seeds))), "runs");

    /// <summary>One row per run: the grid point, the seed, the measure, test accuracy, divergence, the theory's ξ_c, and
    /// its grid point's seeds that train of those run, with the Wilson 95% interval of the share.</summary>
    public static string Csv(PhaseGrid grid)
    {
        var csv = new StringBuilder(CsvHeader + "\n");
        foreach (double w in grid.SigmaW2s)
            foreach (int d in grid.Depths)
            {
                var t = grid.TrainabilityAt(w, d);
                foreach (int s in grid.Seeds)
                    if (grid.Cell(w, d, s) is { } c)
                        csv.Append(CultureInfo.InvariantCulture, $"{SpecNames.Number(w)},{d},{s},{c.Steps},{SpecNames.Number(c.Accuracy)},")
                           .Append(CultureInfo.InvariantCulture, $"{SpecNames.Number(c.TestAccuracy)},{(c.Diverged ? 1 : 0)},{SpecNames.Number(grid.XiC(w))},")
                           .Append(CultureInfo.InvariantCulture, $"{t.Trained},{t.Seeds},{SpecNames.Number(t.Interval.Low)},{SpecNames.Number(t.Interval.High)}\n");
            }
        return csv.ToString();
    }

    /// <summary>The columns of a run; phase.csv files written before the trainability columns have these alone.</summary>
    const string RunColumns = "sigma_w2,depth,seed,steps,train_accuracy,test_accuracy,diverged,xi_c";
    public const string CsvHeader = RunColumns + ",cell_trained,cell_seeds,cell_trained_low,cell_trained_high";

    /// <summary>The cells of a phase.csv that <see cref="Csv"/> wrote (ξ_c and the trainability columns, derived, are not read back).</summary>
    public static IReadOnlyList<PhaseCell> ReadCsv(string text, string source)
    {
        var lines = text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        if (lines[0] != CsvHeader && lines[0] != RunColumns)
            throw new InvalidDataException($"{source}: expected the header {CsvHeader}, found {lines[0]}");
        double D(string cell) => double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);
        int I(string cell) => int.Parse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture);
        return lines.Skip(1).Select(line => line.Split(',')).Select(c =>
            new PhaseCell(D(c[0]), I(c[1]), I(c[2]), long.Parse(c[3], CultureInfo.InvariantCulture), D(c[4]), D(c[5]), c[6] == "1")).ToList();
    }

    /// <summary>Where the measured boundary sits in units of ξ_c, against the paper's 6: the constant that fits and its spread.</summary>
    public static string Verdict(PhaseGrid grid)
    {
        var fitted = grid.BoundaryConstants().Where(c => c.Fitted).ToList();
        if (fitted.Count == 0)
            return "No column where mean field puts the boundary inside the grid crosses from trained to untrained: the boundary " +
                   "cannot be placed. Widen the depth or σ_w² range.";
        double critical = grid.CriticalSigmaW2();
        var sides = new[] { ("ordered side", fitted.Where(c => c.SigmaW2 < critical)), ("chaotic side", fitted.Where(c => c.SigmaW2 > critical)) }
            .Select(side => (Name: side.Item1, K: side.Item2.Select(c => c.K).ToList())).Where(side => side.K.Count > 0)
            .Select(side => $"{side.Name} {Spread(side.K)}");
        var shares = grid.SigmaW2s.Where(grid.Fitted).Select(w => (W: w, B: grid.ShareBoundary(w)))
            .Where(c => c.B is not null).Select(c => $"σ_w² {SpecNames.Number(c.W)} {Interval(grid, c.B!.Value, grid.XiC(c.W))}").ToList();
        return $"The measured boundary is at k·ξ_c with k = {Spread(fitted.Select(c => c.K).ToList())} over all " +
               $"{fitted.Count} column×seed crossings ({string.Join("; ", sides)}), against the paper's 6 (after far longer training)." +
               (shares.Count > 0 ? $" Of the share of seeds that train, with its 95% interval: k = {string.Join("; ", shares)}." : "");
    }

    /// <summary>"4.2 (median; 3.8 to 7.3)": where a constant sits relative to 6 shows in the range.</summary>
    static string Spread(IReadOnlyList<double> k) => $"{F(PhaseGrid.Median(k))} (median; {F(k.Min())} to {F(k.Max())})";

    /// <summary>"59.291 (< 10 to 83.115)": a boundary depth and its interval, divided by <paramref name="unit"/> (1 for
    /// depths, ξ_c for k); an end outside the grid is written as the grid's end it lies beyond.</summary>
    static string Interval(PhaseGrid grid, (double Depth, double Low, double High) b, double unit) =>
        $"{F(b.Depth / unit)} ({(b.Low < grid.Depths[0] ? "< " + F(grid.Depths[0] / unit) : F(b.Low / unit))} to " +
        $"{(b.High > grid.Depths[^1] ? "> " + F(grid.Depths[^1] / unit) : F(b.High / unit))})";

    /// <summary>"2/3 [0.21, 0.94]*": seeds that train of those run, the interval, * when it holds one half.</summary>
    static string Share(Trainability t) =>
        t.Seeds == 0 ? "" : $"{t.Trained}/{t.Seeds} [{t.Interval.Low:0.00}, {t.Interval.High:0.00}]{(t.Undecided ? "*" : "")}";

    static string F(double value) => double.IsPositiveInfinity(value) ? "∞" : value.ToString("0.###", CultureInfo.InvariantCulture);
}
