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

    /// <summary>The rows that have a metric, input side (or first time step) first: for δ, an MLP's every layer and a
    /// recurrent net's time steps; for a weight gradient, an MLP's every layer and a recurrent net's three matrices.</summary>
    public static IEnumerable<LayerRecord> RowsWith(this EpochRecord epoch, string metric) =>
        epoch.Layers.Where(l => l.Metrics.ContainsKey(metric));

    /// <summary>The rows first/last compares: an MLP's hidden layers, a recurrent net's time steps.</summary>
    public static IEnumerable<LayerRecord> DepthRows(this EpochRecord epoch) =>
        epoch.Layers.Where(l => l.Kind is LayerRecord.Hidden or LayerRecord.TimeStep);

    /// <summary>log10(first / last) of a metric's epoch mean over the depth rows (hidden layers, or time steps): below 0,
    /// the input side (the start of the sequence) gets less. NaN where those rows do not have the metric (a recurrent
    /// net's time steps share their weights: they have no weight gradient of their own).</summary>
    public static double LogFirstToLast(this EpochRecord epoch, string metric)
    {
        var rows = epoch.DepthRows().ToList();
        if (!rows[0].Metrics.ContainsKey(metric)) return double.NaN;
        return Math.Log10(rows[0].Mean(metric) / rows[^1].Mean(metric));
    }

    /// <summary>A metric's epoch mean per row that has it (<see cref="RowsWith"/>), input side first (read-out included).</summary>
    public static double[] Profile(this EpochRecord epoch, string metric) =>
        epoch.RowsWith(metric).Select(l => l.Mean(metric)).ToArray();

    /// <summary>A layer's (1-based) epoch mean of a metric, for every epoch that has it.</summary>
    public static double[] Series(this RunRecord record, int layer, string metric) =>
        record.Epochs.Select(e => e.Layers[layer - 1].Metrics.TryGetValue(metric, out var s) ? s.Mean : double.NaN).ToArray();

    /// <summary>Short name for files and tables (see <see cref="SpecNames"/>).</summary>
    public static string FileName(this ExperimentSpec spec) => SpecNames.FileName(spec);
}
