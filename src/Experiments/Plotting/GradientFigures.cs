using Experiments.Diagnostics;
using Experiments.Records;
using ScottPlot;

namespace Experiments.Plotting;

/// <summary>The per-configuration figures. Each takes a record and returns a plot; nothing here trains.</summary>
public static class GradientFigures
{
    /// <summary>A metric (the weight-gradient norm unless given) against epoch, log axis, one line per layer coloured by depth.</summary>
    public static Plot NormsByEpoch(RunRecord record, Metric? metric = null)
    {
        metric ??= Metric.WeightGradNorm;
        var plot = FigureStyle.NewPlot($"{metric.Title}: {record.Spec.Label}", "epoch (0 = at initialisation)",
            $"{metric.Title} (log scale)");
        int layers = record.Initial.Layers.Count;
        var epochs = record.Epochs.Select(e => (double)e.Epoch).ToArray();
        for (int l = 1; l <= layers; l++)
        {
            var (x, y) = FigureStyle.Finite(epochs, record.Series(l, metric).Select(Math.Log10));
            var line = plot.Add.ScatterLine(x, y, FigureStyle.LayerColor(l - 1, layers));
            line.LineWidth = 2;
            line.MarkerSize = 4;
            if (l == 1 || l == layers || l == (layers + 1) / 2)
                line.LegendText = l == layers ? $"layer {l} (read-out)" : $"layer {l}";
        }
        plot.ShowLegend(Edge.Right); // outside the data: with 21 lines there is no free corner
        FigureStyle.LogY(plot);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    /// <summary>δ norm against layer at epoch 0 and at the last epoch.</summary>
    public static Plot DeltaProfile(RunRecord record)
    {
        var plot = FigureStyle.NewPlot($"δ profile: {record.Spec.Label}", "layer (1 = input side)", "‖δ‖ = ‖∂L/∂h‖ (log scale)");
        var layers = record.Initial.Layers.Select(l => (double)l.Layer).ToArray();
        AddProfile(plot, layers, record.Initial, "epoch 0 (initialisation)", Colors.Gray);
        if (record.Epochs.Count > 1)
            AddProfile(plot, layers, record.Final, $"epoch {record.Final.Epoch}", Colors.OrangeRed);
        plot.ShowLegend(Alignment.LowerRight);
        FigureStyle.LogY(plot);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    static void AddProfile(Plot plot, double[] layers, EpochRecord epoch, string label, Color color)
    {
        var (x, y) = FigureStyle.Finite(layers, epoch.Profile(Metric.DeltaNorm).Select(Math.Log10));
        var line = plot.Add.ScatterLine(x, y, color);
        line.LineWidth = 2;
        line.MarkerSize = 6;
        line.LegendText = label;
    }

    /// <summary>Layer × epoch heatmap of a metric's log10 (the weight-gradient norm unless given); layer 1 at the bottom.</summary>
    public static Plot Heatmap(RunRecord record, Metric? metric = null)
    {
        metric ??= Metric.WeightGradNorm;
        var plot = FigureStyle.NewPlot($"log₁₀ {metric.Title}: {record.Spec.Label}", "epoch", "layer (1 = input side)");
        int layers = record.Initial.Layers.Count, epochs = record.Epochs.Count;
        var cells = new double[layers, epochs];
        for (int l = 0; l < layers; l++)
            for (int e = 0; e < epochs; e++)
            {
                double value = Math.Log10(record.Epochs[e].Layers[l].Mean(metric));
                cells[layers - 1 - l, e] = double.IsFinite(value) ? value : double.NaN; // row 0 is drawn at the top
            }
        if (!cells.Cast<double>().Any(double.IsFinite)) // diverged at initialisation: no colour scale can be drawn
        {
            plot.Add.Annotation($"no finite {metric.Title}: the run diverged at initialisation", Alignment.MiddleCenter);
            plot.Axes.SetLimits(-0.5, epochs - 0.5, 0.5, layers + 0.5);
            return plot;
        }
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Rectangle = new CoordinateRect(-0.5, epochs - 0.5, 0.5, layers + 0.5); // cell edges, not centres
        heatmap.NaNCellColor = Colors.Red;
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = $"log₁₀ {metric.Title}";
        bar.LabelStyle.FontName = FigureStyle.Font;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.SetLimits(-0.5, epochs - 0.5, 0.5, layers + 0.5);
        return plot;
    }
}
