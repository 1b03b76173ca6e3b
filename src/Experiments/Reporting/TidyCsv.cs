using System.Globalization;
using System.Text;
using Experiments.Records;

namespace Experiments.Reporting;

/// <summary>
/// Long-format CSV for pandas and R: one row per configuration × epoch × layer × metric (layer statistics), and
/// one row per configuration × epoch (loss and accuracy). Every row carries the spec id and the spec's every field, so
/// runs of several jobs can be stacked and told apart, and the run's outcome and environment (<see cref="RunColumns"/>), so
/// a diverged, an interrupted and a finished run, or runs on two kinds of CPU, are told apart too. Numbers use the
/// invariant culture, "R" precision.
/// </summary>
public static class TidyCsv
{
    public static string Layers(IReadOnlyList<RunRecord> records)
    {
        var csv = new StringBuilder(Header("epoch,layer,kind,metric,mean,min,max"));
        foreach (var record in records)
        {
            string prefix = Prefix(record);
            foreach (var epoch in record.Epochs)
                foreach (var layer in epoch.Layers)
                    foreach (var (metric, summary) in layer.Metrics)
                        csv.Append(prefix).Append(',').Append(epoch.Epoch).Append(',').Append(layer.Layer)
                            .Append(',').Append(layer.Kind).Append(',').Append(metric).Append(',')
                            .Append(Number(summary.Mean)).Append(',').Append(Number(summary.Min)).Append(',')
                            .Append(Number(summary.Max)).Append('\n');
        }
        return csv.ToString();
    }

    public static string Epochs(IReadOnlyList<RunRecord> records)
    {
        var csv = new StringBuilder(Header("epoch,steps,train_loss,train_accuracy,test_loss,test_accuracy"));
        foreach (var record in records)
        {
            string prefix = Prefix(record);
            foreach (var e in record.Epochs)
                csv.Append(prefix).Append(',').Append(e.Epoch).Append(',').Append(e.Steps).Append(',')
                    .Append(Number(e.TrainLoss)).Append(',').Append(Number(e.TrainAccuracy)).Append(',')
                    .Append(Number(e.TestLoss)).Append(',').Append(Number(e.TestAccuracy)).Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>The columns after the spec's fields that describe the run as a whole: how it ended and where it ran.</summary>
    public static readonly IReadOnlyList<string> RunColumns = ["complete", "diverged", "trained_epochs", "cpu", "aten_cpu_capability", "mkl_cbwr"];

    /// <summary>The configuration's name and spec id, then every spec field (<see cref="SpecColumns"/>), the run's columns, then the measurements.</summary>
    static string Header(string measurements) =>
        $"configuration,spec_id,{string.Join(',', SpecColumns.Names)},{string.Join(',', RunColumns)},{measurements}\n";

    static string Prefix(RunRecord record) => string.Join(',',
        new[] { record.Spec.FileName(), record.Spec.Id }.Concat(SpecColumns.Values(record.Spec)).Concat(RunValues(record)).Select(SpecColumns.Field));

    /// <summary>Trained epochs count the epochs after epoch 0 (the measurement at initialisation) that ran to their end:
    /// fewer than the spec's epochs where training diverged (its last epoch stopped at the divergence) or was stopped.
    /// Empty kernel settings are the machine's default.</summary>
    static IEnumerable<string> RunValues(RunRecord record) =>
    [
        Bool(record.Complete), Bool(record.Diverged), TrainedEpochs(record).ToString(CultureInfo.InvariantCulture),
        record.Environment.Cpu, record.Environment.AtenCpuCapability ?? "", record.Environment.MklCbwr ?? "",
    ];

    public static int TrainedEpochs(RunRecord record) =>
        record.Divergence is { } divergence ? Math.Max(0, divergence.Epoch - 1) : record.Epochs.Count - 1;

    static string Bool(bool value) => value ? "true" : "false";

    static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
