using System.Globalization;
using System.Text;
using Experiments.Training;

namespace Experiments.Reporting;

/// <summary>
/// Long-format CSV for pandas and R: one row per configuration × epoch × layer × metric (layer statistics), and
/// one row per configuration × epoch (loss and accuracy). Numbers use the invariant culture, "R" precision.
/// </summary>
public static class TidyCsv
{
    public static string Layers(IReadOnlyList<RunRecord> records)
    {
        var csv = new StringBuilder("configuration,spec_id,activation,depth,init,seed,epoch,layer,kind,metric,mean,min,max\n");
        foreach (var record in records)
            foreach (var epoch in record.Epochs)
                foreach (var layer in epoch.Layers)
                    foreach (var (metric, summary) in layer.Metrics)
                        csv.Append(Prefix(record)).Append(',').Append(epoch.Epoch).Append(',').Append(layer.Layer)
                            .Append(',').Append(layer.Kind).Append(',').Append(metric).Append(',')
                            .Append(Number(summary.Mean)).Append(',').Append(Number(summary.Min)).Append(',')
                            .Append(Number(summary.Max)).Append('\n');
        return csv.ToString();
    }

    public static string Epochs(IReadOnlyList<RunRecord> records)
    {
        var csv = new StringBuilder("configuration,spec_id,activation,depth,init,seed,epoch,steps,train_loss,train_accuracy,test_loss,test_accuracy\n");
        foreach (var record in records)
            foreach (var e in record.Epochs)
                csv.Append(Prefix(record)).Append(',').Append(e.Epoch).Append(',').Append(e.Steps).Append(',')
                    .Append(Number(e.TrainLoss)).Append(',').Append(Number(e.TrainAccuracy)).Append(',')
                    .Append(Number(e.TestLoss)).Append(',').Append(Number(e.TestAccuracy)).Append('\n');
        return csv.ToString();
    }

    static string Prefix(RunRecord record) => string.Join(',', record.Spec.FileName(), record.SpecId,
        RecordJson.Name(record.Spec.Activation), record.Spec.Depth, RecordJson.Name(record.Spec.Init), record.Spec.Seed);

    static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
