using System.Globalization;
using Experiments.Phase;
using Experiments.Records;
using ScottPlot;

namespace Experiments.Plotting;

/// <summary>
/// The phase diagram: the share of seeds that train at each (σ_w², depth) as a heatmap of equal cells (ticks name each
/// column's σ_w² and each row's depth), a ring on each cell whose Wilson interval still holds one half, each column's
/// boundary of the share with its 95% interval, the mean-field ξ_c and 6ξ_c drawn over it, and the critical σ_w² marked. Between grid values the axes are linear, so the curves pass
/// through each cell at the depth and σ_w² it names.
/// </summary>
public static class PhaseFigure
{
    public const string File = "phase.png";
    const int CurvePoints = 200;

    public static Plot Draw(PhaseGrid grid)
    {
        var plot = FigureStyle.NewPlot(
            $"Trainability of {RecordJson.Name(grid.Activation)} nets, σ_b² = {SpecNames.Number(grid.SigmaB2)}: share of seeds reaching " +
            $"training accuracy {SpecNames.Number(PhaseGrid.Trained)} in {grid.Steps} SGD steps", "σ_w² (weights N(0, σ_w²/fan_in))", "hidden layers");
        int columns = grid.SigmaW2s.Count, rows = grid.Depths.Count;
        var cells = new double[rows, columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                cells[rows - 1 - r, c] = grid.TrainabilityAt(grid.SigmaW2s[c], grid.Depths[r]).Fraction; // row 0 is drawn at the top
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        heatmap.NaNCellColor = Colors.LightGray;
        heatmap.Rectangle = new CoordinateRect(-0.5, columns - 0.5, -0.5, rows - 0.5);
        var bar = plot.Add.ColorBar(heatmap);
        var counts = grid.SeedCounts;
        bar.Label = counts.Min() == counts.Max() ? $"share of {counts.Max()} seed(s) that train" : $"share of seeds that train ({counts.Min()} to {counts.Max()} a cell)";
        bar.LabelStyle.FontName = FigureStyle.Font;
        bar.Axis.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(0.1); // fewer, so the label clears them

        var undecided = (from c in Enumerable.Range(0, columns) from r in Enumerable.Range(0, rows)
                         where grid.TrainabilityAt(grid.SigmaW2s[c], grid.Depths[r]) is { Seeds: > 0, Undecided: true }
                         select (X: (double)c, Y: (double)r)).ToList();
        if (undecided.Count > 0)
        {
            var rings = plot.Add.ScatterPoints(undecided.Select(u => u.X).ToArray(), undecided.Select(u => u.Y).ToArray(), Colors.Orange);
            rings.MarkerShape = MarkerShape.OpenCircle;
            rings.MarkerSize = 14;
            rings.MarkerStyle.LineWidth = 2.5f;
            rings.LegendText = "undecided: the Wilson 95% interval holds ½";
        }

        var depths = grid.Depths.Select(d => (double)d).ToList();
        double[] variances = Enumerable.Range(0, CurvePoints)
            .Select(i => grid.SigmaW2s[0] + (grid.SigmaW2s[^1] - grid.SigmaW2s[0]) * i / (CurvePoints - 1)).ToArray();
        double[] xi = variances.Select(grid.XiC).ToArray();
        AddCurve(plot, grid, variances, xi, 1, "ξ_c (mean field)", LinePattern.Dashed);
        AddCurve(plot, grid, variances, xi, PhaseGrid.PaperConstant, "6ξ_c (Schoenholz et al. 2017)", LinePattern.Solid);

        var boundary = grid.SigmaW2s.Select(w => (X: Position(grid.SigmaW2s, w), Share: grid.ShareBoundary(w))).Where(b => b.Share is not null)
            .Select(b => (b.X, Depth: Position(depths, b.Share!.Value.Depth), Low: Position(depths, b.Share.Value.Low), High: Position(depths, b.Share.Value.High)))
            .ToList();
        foreach (var b in boundary) // the 95% interval: white over the dark cells, a black core over the light ones
            foreach (var (color, width) in new[] { (Colors.White, 5f), (Colors.Black, 2f) })
            {
                var interval = plot.Add.Line(b.X, b.Low, b.X, b.High);
                interval.LineColor = color;
                interval.LineWidth = width;
                interval.MarkerSize = 0;
            }
        if (boundary.Count > 0)
        {
            var measured = plot.Add.ScatterPoints(boundary.Select(b => b.X).ToArray(), boundary.Select(b => b.Depth).ToArray(), Colors.White);
            measured.MarkerSize = 12;
            measured.MarkerShape = MarkerShape.FilledDiamond;
            measured.MarkerStyle.OutlineColor = Colors.Black; // white inside for the dark cells, outlined for the legend's white
            measured.MarkerStyle.OutlineWidth = 1.5f;
            measured.LegendText = "measured boundary: the share of seeds falls below ½ (bar: its 95% interval)";
        }

        double critical = grid.CriticalSigmaW2();
        if (critical >= grid.SigmaW2s[0] && critical <= grid.SigmaW2s[^1])
        {
            var line = plot.Add.VerticalLine(Position(grid.SigmaW2s, critical), 2, Colors.Magenta, LinePattern.Dotted);
            line.LegendText = $"critical σ_w² = {critical.ToString("0.###", CultureInfo.InvariantCulture)} (χ₁ = 1)";
        }

        plot.Axes.Bottom.TickGenerator = Ticks(grid.SigmaW2s.Select(SpecNames.Number).ToList());
        plot.Axes.Left.TickGenerator = Ticks(grid.Depths.Select(d => d.ToString(CultureInfo.InvariantCulture)).ToList());
        plot.Axes.SetLimits(-0.5, columns - 0.5, -0.5, rows - 0.5);
        plot.ShowLegend(Edge.Bottom); // outside the cells: every cell is data
        return plot;
    }

    /// <summary>The curve k·ξ_c(σ_w²), in cell coordinates, clipped to the grid's depths (ξ_c diverges at criticality).</summary>
    static void AddCurve(Plot plot, PhaseGrid grid, double[] variances, double[] xi, double k, string label, LinePattern pattern)
    {
        double top = grid.Depths[^1], bottom = grid.Depths[0];
        var (x, y) = FigureStyle.Finite(variances.Select(v => Position(grid.SigmaW2s, v)),
            xi.Select(value => k * value).Select(depth => Position(grid.Depths.Select(d => (double)d).ToList(), Math.Clamp(depth, bottom / 2, top * 2))));
        var line = plot.Add.ScatterLine(x, y, Colors.Red); // red and magenta stand out on viridis and on the legend's white
        line.LineWidth = 3;
        line.LinePattern = pattern;
        line.MarkerSize = 0;
        line.LegendText = label;
    }

    /// <summary>A value's position on an axis whose grid values sit at 0, 1, 2, ...: linear between them, beyond the ends
    /// with the end spacing, clamped to half a cell outside.</summary>
    static double Position(IReadOnlyList<double> values, double value)
    {
        if (values.Count == 1) return 0;
        int i = 0;
        while (i < values.Count - 2 && value > values[i + 1]) i++;
        double position = i + (value - values[i]) / (values[i + 1] - values[i]);
        return Math.Clamp(position, -0.5, values.Count - 0.5);
    }

    static ScottPlot.TickGenerators.NumericManual Ticks(IReadOnlyList<string> labels)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < labels.Count; i++) ticks.AddMajor(i, labels[i]);
        return ticks;
    }
}
