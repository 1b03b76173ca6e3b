using Experiments.Diagnostics;
using Experiments.Records;
using ScottPlot;

namespace Experiments.Plotting;

/// <summary>
/// Figures over many runs, one line per configuration: the median over its seeds and a band from the smallest to the
/// largest seed's value, so that a sweep's spread is seen, not only its luck.
/// </summary>
public static class SeedFigures
{
    public const string Ratios = "seeds-delta-ratio.png";
    public const string Accuracy = "seeds-test-accuracy.png";

    /// <summary>log10 first/last hidden ‖δ‖ against epoch.</summary>
    public static Plot DeltaRatio(IReadOnlyList<RunRecord> records) => Bands(records, "first/last hidden ‖δ‖ over seeds (median, min–max)",
        "log10 ‖δ_first‖ / ‖δ_last hidden‖", e => e.LogFirstToLast(Metric.DeltaNorm));

    /// <summary>Test accuracy against epoch.</summary>
    public static Plot TestAccuracy(IReadOnlyList<RunRecord> records) => Bands(records, "test accuracy over seeds (median, min–max)",
        "test accuracy", e => e.TestAccuracy);

    /// <summary>A configuration is a spec but for its seed (<see cref="Records.Configurations"/>).</summary>
    public static IEnumerable<IGrouping<string, RunRecord>> Configurations(IEnumerable<RunRecord> records) =>
        Records.Configurations.Of(records);

    static Plot Bands(IReadOnlyList<RunRecord> records, string title, string yLabel, Func<EpochRecord, double> value)
    {
        var plot = FigureStyle.NewPlot(title, "epoch (0 = at initialisation)", yLabel);
        var palette = new ScottPlot.Palettes.Category10();
        int index = 0;
        foreach (var configuration in Configurations(records))
        {
            var color = palette.GetColor(index++);
            int epochs = configuration.Max(r => r.Epochs.Count);
            var x = new List<double>();
            var (median, low, high) = (new List<double>(), new List<double>(), new List<double>());
            for (int e = 0; e < epochs; e++)
            {
                var values = configuration.Where(r => r.Epochs.Count > e).Select(r => value(r.Epochs[e])).Where(double.IsFinite).Order().ToList();
                if (values.Count == 0) continue;
                x.Add(e);
                median.Add(values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2);
                low.Add(values[0]);
                high.Add(values[^1]);
            }
            if (x.Count == 0) continue;
            var band = plot.Add.FillY(x.ToArray(), low.ToArray(), high.ToArray());
            band.FillColor = color.WithAlpha(0.2);
            band.LineWidth = 0;
            var line = plot.Add.ScatterLine(x.ToArray(), median.ToArray(), color);
            line.LineWidth = 2;
            line.LegendText = $"{configuration.Key} ({configuration.Count()} seed{(configuration.Count() == 1 ? "" : "s")})";
        }
        plot.ShowLegend(Edge.Right);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }
}
