using Experiments.Diagnostics;
using Experiments.Records;

namespace Hypotheses.Support;

/// <summary>Records with made-up numbers, for tests of what reports say about records (grouping, naming, completeness),
/// never of what training measures.</summary>
public static class MadeUpRecords
{
    /// <summary>A record of <paramref name="spec"/>: two hidden layers and a read-out, every metric 1, the accuracy given.</summary>
    public static RunRecord Of(ExperimentSpec spec, double accuracy = 0.5, bool complete = true)
    {
        var metrics = Metric.All.ToDictionary(m => m.Name, _ => new MetricSummary(1, 1, 1));
        LayerRecord Layer(int layer, string kind) => new(layer, kind, 16, 16, metrics);
        var layers = new[] { Layer(1, LayerRecord.Hidden), Layer(2, LayerRecord.Hidden), Layer(3, LayerRecord.Output) };
        int epochs = complete ? spec.Epochs : 0;
        var list = Enumerable.Range(0, epochs + 1).Select(e => new EpochRecord(e, 4, 2.3, accuracy, 2.3, accuracy, layers)).ToList();
        return new RunRecord(RunRecord.CurrentSchema, spec.Id, spec, EnvironmentInfo.Capture(1),
            new DataDescription("test data", null, "none"), null, list, null, complete);
    }
}
