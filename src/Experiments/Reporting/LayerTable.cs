using System.Globalization;
using System.Text;
using Experiments.Diagnostics;
using Experiments.Models;
using Experiments.Records;

namespace Experiments.Reporting;

/// <summary>
/// A run as fixed-width text: per epoch loss and accuracy, then per epoch and layer the mean of every metric (a column each, from <see cref="Metric.All"/>),
/// each to 3 significant digits. Small enough to read, stable enough to diff in a pull request.
/// </summary>
public static class LayerTable
{
    public static string Format(RunRecord record)
    {
        var text = new StringBuilder();
        text.AppendLine($"{record.Spec.Label}; seed {record.Spec.Seed}; {record.Spec.Epochs} epochs; spec {record.Spec.Id}");
        if (record.Divergence is { } d) text.AppendLine($"diverged at epoch {d.Epoch}, step {d.Step}: {d.Reason}");
        if (!record.Complete && record.Divergence is null) text.AppendLine("incomplete (interrupted)");
        text.AppendLine();
        text.AppendLine(Row("epoch", "steps", "train loss", "train acc", "test loss", "test acc"));
        foreach (var e in record.Epochs)
            text.AppendLine(Row(e.Epoch.ToString(CultureInfo.InvariantCulture), e.Steps.ToString(CultureInfo.InvariantCulture),
                Number(e.TrainLoss), Number(e.TrainAccuracy), Number(e.TestLoss), Number(e.TestAccuracy)));
        text.AppendLine();
        var metrics = Metric.All.Where(m => !m.RecurrentOnly || record.Spec.Model.IsRecurrent()).ToList();
        text.AppendLine(Row(["epoch", "layer", "kind", .. metrics.Select(m => m.Header)]));
        foreach (var e in record.Epochs)
            foreach (var layer in e.Layers)
                text.AppendLine(Row([e.Epoch.ToString(CultureInfo.InvariantCulture), layer.Layer.ToString(CultureInfo.InvariantCulture), layer.Kind,
                    .. metrics.Select(m => layer.Metrics.TryGetValue(m.Name, out var s) ? Number(s.Mean) : "-")]));
        return text.ToString();
    }

    /// <summary>Three significant digits in scientific notation, e.g. 1.23e-04; NaN and ±Infinity spelled out.</summary>
    public static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("0.00e+00", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

    static string Row(params string[] cells) => string.Join(" ", cells.Select(c => c.PadLeft(10))).TrimEnd();
}
