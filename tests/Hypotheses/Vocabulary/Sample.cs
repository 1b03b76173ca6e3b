using System.Globalization;
using Experiments.Records;
using Experiments.Training;

namespace Hypotheses.Vocabulary;

/// <summary>One measure of one condition over the seeds: what a hypothesis asserts on.</summary>
/// <param name="Grid">For a measure over a grid of conditions (the phase diagram's): what varies, said in place of the
/// condition's own network; null for a single condition.</param>
public sealed record Sample(ExperimentSpec Condition, Measure Measure, IReadOnlyList<double> Values, string? Grid = null)
{
    /// <summary>Trains (or takes from the run cache) <paramref name="condition"/> over every seed and reads the measure.</summary>
    public static Sample Of(ExperimentSpec condition, Measure measure) =>
        new(condition, measure, Seeds.Run(condition).Select(measure.Read).ToList());

    public double Median
    {
        get
        {
            if (Values.Count == 0 || Values.Any(double.IsNaN)) return double.NaN; // NaN sorts first and would hide
            var sorted = Values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }

    public double Min => Values.Smallest(Measure.Name);
    public double Max => Values.Largest(Measure.Name);

    public string ConditionText =>
        $"{Grid ?? Condition.Label}; {Experiments.Records.RecordJson.Name(Condition.Optimizer)} lr {Num(Condition.LearningRate)}, " +
        $"batch {Condition.BatchSize}, {(Condition.Epochs == 0 ? "at initialisation" : $"{Condition.Epochs} epochs")}, seeds {string.Join(",", Seeds.All)}";

    public override string ToString() =>
        $"{Measure.Name} under [{ConditionText}] = [{string.Join(", ", Values.Select(Num))}] " +
        $"(median {Num(Median)}, min {Num(Min)}, max {Num(Max)})";

    /// <summary>Three decimals, or three significant digits for small values (update ratios, clip bounds).</summary>
    public static string Num(double value) =>
        value.ToString(value != 0 && Math.Abs(value) < 0.01 ? "G3" : "0.###", CultureInfo.InvariantCulture);
}
