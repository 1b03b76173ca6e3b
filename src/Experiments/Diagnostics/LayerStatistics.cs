using Experiments.Records;

namespace Experiments.Diagnostics;

/// <summary>Accumulates per-step values per layer and metric into an epoch's mean, min and max.</summary>
public sealed class LayerStatistics(IReadOnlyList<LayerShape> layers)
{
    // Indexed [layer, metric's place in Metric.All]: a step adds a hundred values or more, so no dictionary.
    readonly Summary[,] values = new Summary[layers.Count, Metric.All.Count];

    struct Summary
    {
        public double Sum, Min, Max;
        public int Count;
    }

    public void Add(int layer, Metric metric, double value)
    {
        ref var s = ref values[layer, metric.Index];
        (s.Sum, s.Min, s.Max) = s.Count == 0 ? (value, value, value) : (s.Sum + value, Min(s.Min, value), Max(s.Max, value));
        s.Count++;
    }

    public void Add(StepMeasurement measurement)
    {
        foreach (var (layer, metric, value) in measurement.Values) Add(layer, metric, value);
    }

    /// <summary>Every metric measured, in the order of <see cref="Metric.All"/> (which holds every metric there is).</summary>
    public IReadOnlyList<LayerRecord> ToRecords() => layers.Select((shape, index) =>
    {
        var metrics = new Dictionary<string, MetricSummary>();
        foreach (var metric in Metric.All)
            if (values[index, metric.Index] is { Count: > 0 } s)
                metrics[metric.Name] = new MetricSummary(s.Sum / s.Count, s.Min, s.Max);
        return new LayerRecord(index + 1, shape.Kind, shape.FanIn, shape.FanOut, metrics);
    }).ToList();

    // NaN wins, so a non-finite step shows in min and max as well as in the mean.
    static double Min(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Min(a, b);
    static double Max(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);
}

public sealed record LayerShape(string Kind, int FanIn, int FanOut);

/// <summary>Values of one step: (layer index from 0, metric, value).</summary>
public sealed record StepMeasurement(IReadOnlyList<(int Layer, Metric Metric, double Value)> Values)
{
    /// <summary>No values: a step of untracked training.</summary>
    public static readonly StepMeasurement None = new([]);

    public (int Layer, Metric Metric, double Value)? FirstNonFinite
    {
        get
        {
            foreach (var value in Values)
                if (!double.IsFinite(value.Value)) return value;
            return null;
        }
    }

    public double Get(int layer, Metric metric) => Values.First(v => v.Layer == layer && v.Metric == metric).Value;
}
