using Experiments.Diagnostics;

namespace Experiments.Records;

/// <summary>
/// The few readings of a record that plots, tables and hypotheses share. "First to last" compares the first
/// hidden layer with the last hidden layer (not the read-out), in log10 of the epoch means.
/// </summary>
public static class RecordQueries
{
    public static IEnumerable<LayerRecord> HiddenLayers(this EpochRecord epoch) =>
        epoch.Layers.Where(l => l.Kind == LayerRecord.Hidden);

    /// <summary>log10(first hidden layer / last hidden layer) of a metric's epoch mean: below 0, the input side gets less.</summary>
    public static double LogFirstToLast(this EpochRecord epoch, string metric)
    {
        var hidden = epoch.HiddenLayers().ToList();
        return Math.Log10(hidden[0].Mean(metric) / hidden[^1].Mean(metric));
    }

    /// <summary>A metric's epoch mean per layer, input side first (read-out included).</summary>
    public static double[] Profile(this EpochRecord epoch, string metric) =>
        epoch.Layers.Select(l => l.Mean(metric)).ToArray();

    /// <summary>A layer's (1-based) epoch mean of a metric, for every epoch that has it.</summary>
    public static double[] Series(this RunRecord record, int layer, string metric) =>
        record.Epochs.Select(e => e.Layers[layer - 1].Metrics.TryGetValue(metric, out var s) ? s.Mean : double.NaN).ToArray();

    /// <summary>Short name for files and tables (see <see cref="SpecNames"/>).</summary>
    public static string FileName(this ExperimentSpec spec) => SpecNames.FileName(spec);
}
