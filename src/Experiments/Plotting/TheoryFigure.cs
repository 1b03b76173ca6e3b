using Experiments.Diagnostics;
using Experiments.Models;
using Experiments.Records;
using ScottPlot;

namespace Experiments.Plotting;

/// <summary>Mean-field prediction (line) against measurement (points) of the δ profile at initialisation.</summary>
public static class TheoryFigure
{
    /// <summary>Draws the record's own prediction (<see cref="RunRecord.Prediction"/>); a record without one has no theory figure.</summary>
    public static Plot DeltaProfile(RunRecord record)
    {
        var prediction = record.Prediction ?? throw new InvalidOperationException($"{record.Spec.Label}: the record has no mean-field prediction");
        bool recurrent = record.Spec.Model.IsRecurrent();
        var plot = FigureStyle.NewPlot($"δ at initialisation, theory vs measured: {record.Spec.Label}",
            recurrent ? GradientFigures.Axis(record) : "hidden layer (1 = input side)",
            recurrent ? "‖δ_t‖ / ‖δ_T‖ (log scale)" : "‖δ_l‖ / ‖δ_last hidden‖ (log scale)");
        var hidden = record.Initial.DepthRows().ToList();
        var layers = hidden.Select(l => (double)l.Layer).ToArray();
        double last = hidden[^1].Mean(Metric.DeltaNorm);

        var predicted = plot.Add.ScatterLine(layers, prediction.LogDeltaProfile.ToArray(), Colors.SteelBlue);
        predicted.LineWidth = 2;
        predicted.MarkerSize = 0;
        predicted.LegendText = recurrent ? $"mean field (χ at the last step = {prediction.Chi1:0.###})" : $"mean field (χ₁ = {prediction.Chi1:0.###})";

        var (x, y) = FigureStyle.Finite(layers, hidden.Select(l => Math.Log10(l.Mean(Metric.DeltaNorm) / last)));
        var measured = plot.Add.ScatterPoints(x, y, Colors.OrangeRed);
        measured.MarkerSize = 8;
        measured.LegendText = $"measured (seed {record.Spec.Seed}, {record.Initial.Steps} batches)";

        plot.ShowLegend(Alignment.LowerRight);
        FigureStyle.LogY(plot);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }
}
