using Experiments.Diagnostics;
using Experiments.Models;
using Experiments.Records;
using ScottPlot;

namespace Experiments.Plotting;

/// <summary>The per-configuration figures. Each takes a record and returns a plot; nothing here trains.</summary>
public static class GradientFigures
{
    /// <summary>The metric a configuration's overview panel shows: an MLP's weight gradient per layer, a recurrent net's
    /// δ per time step (its steps share their weights, so only δ tells them apart).</summary>
    public static Metric OverviewMetric(RunRecord record) => record.Spec.Model.IsRecurrent() ? Metric.DeltaNorm : Metric.WeightGradNorm;

    /// <summary>A metric (the weight-gradient norm unless given) against epoch, log axis, one line per row that has it (an
    /// MLP's layers, a recurrent net's time steps or weight matrices), coloured by depth.</summary>
    public static Plot NormsByEpoch(RunRecord record, Metric? metric = null)
    {
        metric ??= Metric.WeightGradNorm;
        var plot = FigureStyle.NewPlot($"{metric.Title}: {record.Spec.Label}", "epoch (0 = at initialisation)",
            $"{metric.Title} (log scale)");
        var rows = record.Initial.RowsWith(metric).ToList();
        var epochs = record.Epochs.Select(e => (double)e.Epoch).ToArray();
        for (int i = 0; i < rows.Count; i++)
        {
            var (x, y) = FigureStyle.Finite(epochs, record.Series(rows[i].Layer, metric).Select(Math.Log10));
            var line = plot.Add.ScatterLine(x, y, FigureStyle.LayerColor(i, rows.Count));
            line.LineWidth = 2;
            line.MarkerSize = 4;
            if (i == 0 || i == rows.Count - 1 || i == (rows.Count + 1) / 2 - 1 || rows[i].Kind is not (LayerRecord.Hidden or LayerRecord.TimeStep))
                line.LegendText = RowName(rows[i], record.Spec.Model.IsRecurrent());
        }
        plot.ShowLegend(Edge.Right); // outside the data: with 21 lines there is no free corner
        FigureStyle.LogY(plot);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    /// <summary>"layer 3", "layer 21 (read-out)", "time step 5", "W_hh (recurrent)", "W_out (read-out)".</summary>
    static string RowName(LayerRecord row, bool recurrent) => row.Kind switch
    {
        LayerRecord.Hidden => $"layer {row.Layer}",
        LayerRecord.Output => recurrent ? "W_out (read-out)" : $"layer {row.Layer} (read-out)",
        LayerRecord.TimeStep => $"time step {row.Layer}",
        LayerRecord.Input => "W_ih (input)",
        LayerRecord.RecurrentWeights => "W_hh (recurrent)",
        _ => row.Kind,
    };

    /// <summary>What the rows along which gradients flow back are: layers, or time steps.</summary>
    internal static string Axis(RunRecord record) => !record.Spec.Model.IsRecurrent() ? "layer (1 = input side)"
        : record.Spec.Sequence == Sequence.Rows ? "time step (1 = first row of pixels)" : "time step (1 = top-left pixel)";

    /// <summary>δ norm against layer (a recurrent net: time step) at epoch 0 and at the last epoch.</summary>
    public static Plot DeltaProfile(RunRecord record)
    {
        var plot = FigureStyle.NewPlot($"δ profile: {record.Spec.Label}", Axis(record), "‖δ‖ = ‖∂L/∂h‖ (log scale)");
        var layers = record.Initial.RowsWith(Metric.DeltaNorm).Select(l => (double)l.Layer).ToArray();
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

    /// <summary>Layer × epoch heatmap of a metric's log10 (the weight-gradient norm unless given; a recurrent net's time step ×
    /// epoch heatmap of δ); layer or time step 1 at the bottom.</summary>
    public static Plot Heatmap(RunRecord record, Metric? metric = null)
    {
        metric ??= OverviewMetric(record);
        var plot = FigureStyle.NewPlot($"log₁₀ {metric.Title}: {record.Spec.Label}", "epoch", Axis(record));
        var rows = record.Initial.RowsWith(metric).Select(l => l.Layer - 1).ToList();
        int layers = rows.Count, epochs = record.Epochs.Count;
        var cells = new double[layers, epochs];
        for (int l = 0; l < layers; l++)
            for (int e = 0; e < epochs; e++)
            {
                double value = Math.Log10(record.Epochs[e].Layers[rows[l]].Mean(metric));
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

    /// <summary>‖W_hh‖₂ against epoch: the epoch's mean, with its smallest and largest step as a band.</summary>
    public static Plot SpectralNorm(RunRecord record)
    {
        var plot = FigureStyle.NewPlot($"recurrent spectral norm: {record.Spec.Label}", "epoch (0 = at initialisation)", Metric.SpectralNorm.Title);
        var row = record.Initial.RowsWith(Metric.SpectralNorm).First().Layer - 1;
        var summaries = record.Epochs.Select(e => (e.Epoch, e.Layers[row].Metrics.GetValueOrDefault(Metric.SpectralNorm))).Where(p => p.Item2 is not null).ToList();
        var epochs = summaries.Select(p => (double)p.Epoch).ToArray();
        var (x, mean) = FigureStyle.Finite(epochs, summaries.Select(p => p.Item2!.Mean));
        var line = plot.Add.ScatterLine(x, mean, Colors.SteelBlue);
        line.LineWidth = 2;
        line.MarkerSize = 6;
        line.LegendText = "epoch mean";
        var (xLow, low) = FigureStyle.Finite(epochs, summaries.Select(p => p.Item2!.Min));
        var (xHigh, high) = FigureStyle.Finite(epochs, summaries.Select(p => p.Item2!.Max));
        var lowLine = plot.Add.ScatterLine(xLow, low, Colors.SteelBlue.WithAlpha(0.4));
        lowLine.LegendText = "smallest and largest step";
        plot.Add.ScatterLine(xHigh, high, Colors.SteelBlue.WithAlpha(0.4));
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }
}
