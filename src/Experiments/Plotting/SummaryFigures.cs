using Experiments.Records;
using ScottPlot;

namespace Experiments.Plotting;

/// <summary>Figures over several configurations: the classic side-by-side overview, and learning curves.</summary>
public static class SummaryFigures
{
    /// <summary>The configurations' weight-gradient plots in a grid, as the classic experiment shows them (a recurrent
    /// net's: δ per time step).</summary>
    public static Multiplot Overview(IReadOnlyList<RunRecord> records)
    {
        var multiplot = Of(records.Select(r => GradientFigures.NormsByEpoch(r, GradientFigures.OverviewMetric(r))).ToArray());
        var (rows, columns) = OverviewGrid(records.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        return multiplot;
    }

    /// <summary>Pixel size of the overview: one standard figure per grid cell.</summary>
    public static (int Width, int Height) OverviewSize(int count)
    {
        var (rows, columns) = OverviewGrid(count);
        return (columns * FigureStyle.Width, rows * FigureStyle.Height);
    }

    /// <summary>Two columns (one for a single configuration), as many rows as needed.</summary>
    static (int Rows, int Columns) OverviewGrid(int count)
    {
        int columns = count <= 1 ? 1 : 2;
        return ((count + columns - 1) / columns, columns);
    }

    /// <summary>Training loss (left) and test accuracy (right) against epoch, one line per configuration.</summary>
    public static Multiplot LearningCurves(IReadOnlyList<RunRecord> records)
    {
        var loss = FigureStyle.NewPlot("training loss", "epoch", "cross-entropy");
        var accuracy = FigureStyle.NewPlot("test accuracy", "epoch", "accuracy");
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < records.Count; i++)
        {
            var epochs = records[i].Epochs.Select(e => (double)e.Epoch).ToArray();
            AddCurve(loss, epochs, records[i].Epochs.Select(e => e.TrainLoss), palette.GetColor(i), records[i].Spec.Label);
            AddCurve(accuracy, epochs, records[i].Epochs.Select(e => e.TestAccuracy), palette.GetColor(i), records[i].Spec.Label);
        }
        accuracy.Axes.SetLimitsY(0, 1);
        foreach (var plot in new[] { loss, accuracy })
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        // One legend for both panels (same colours), outside the data so no curve is hidden.
        accuracy.ShowLegend(Edge.Right);
        loss.HideLegend();
        var multiplot = Of(loss, accuracy);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(1, 2);
        return multiplot;
    }

    /// <summary>A multiplot of exactly these plots (a new Multiplot starts with one empty plot of its own).</summary>
    static Multiplot Of(params Plot[] plots)
    {
        var multiplot = new Multiplot(plots[0]);
        foreach (var plot in plots.Skip(1)) multiplot.Subplots.Add(plot);
        return multiplot;
    }

    static void AddCurve(Plot plot, double[] epochs, IEnumerable<double> values, Color color, string label)
    {
        var (x, y) = FigureStyle.Finite(epochs, values);
        var line = plot.Add.ScatterLine(x, y, color);
        line.LineWidth = 2;
        line.MarkerSize = 5;
        line.LegendText = label;
    }
}
