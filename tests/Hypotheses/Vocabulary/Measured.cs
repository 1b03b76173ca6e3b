using System.Globalization;
using Experiments.Records;

namespace Hypotheses.Vocabulary;

/// <summary>One measure of one condition over the seeds: what a hypothesis asserts on.</summary>
/// <param name="Grid">For a measure over a grid of conditions (the phase diagram's): what varies, said in place of the
/// condition's own network; null for a single condition.</param>
/// <param name="Labels">What each value is of ("seed 2", "σ_w² 4, seed 1"); null: the seeds, in order.</param>
/// <param name="Records">The record each value was read from, where there is one per value: kept under artifacts/ and named
/// when the assertion fails.</param>
/// <param name="SeedText">Which seeds, where they are not the hypotheses' own (the phase grid's 4 to 16 a cell); null: <see cref="Seeds.All"/>.</param>
public sealed record Measured(ExperimentSpec Condition, Measure Measure, IReadOnlyList<double> Values, string? Grid = null,
    IReadOnlyList<string>? Labels = null, IReadOnlyList<RunRecord>? Records = null, string? SeedText = null)
{
    /// <summary>Trains (or takes from the run cache) <paramref name="condition"/> over every seed and reads the measure.</summary>
    public static Measured Of(ExperimentSpec condition, Measure measure)
    {
        var records = Seeds.Run(condition);
        return new(condition, measure, records.Select(measure.Read).ToList(), Records: records);
    }

    /// <summary>What value <paramref name="index"/> is of.</summary>
    public string LabelOf(int index) =>
        Labels?[index] ?? (Values.Count == Seeds.All.Count ? $"seed {Seeds.All[index]}" : $"value {index + 1}");

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

    /// <summary>The condition in words, with the data and how much of it: a short run never reads like a full one.</summary>
    public string ConditionText =>
        $"{Grid ?? Condition.Label}; {RecordJson.Name(Condition.Optimizer)} lr {Num(Condition.LearningRate)}, " +
        $"batch {Condition.BatchSize}, {(Condition.Epochs == 0 ? "at initialisation" : $"{Condition.Epochs} epochs")}, " +
        $"data {Condition.Data} ({(Condition.Samples is { } n ? n.ToString("N0", CultureInfo.InvariantCulture) : "all")} digits), " +
        $"seeds {SeedText ?? string.Join(",", Seeds.All)}";

    public override string ToString() =>
        $"{Measure.Name} under [{ConditionText}] = [{string.Join(", ", Values.Select(Num))}]" +
        (Values.Count == 0 ? "" : $" (median {Num(Median)}, min {Num(Min)}, max {Num(Max)})");

    /// <summary>One row per value: its label and value, and where given, the expectation and whether it holds.</summary>
    public string Rows(IReadOnlyList<bool>? passes = null, string? expectation = null)
    {
        int width = Math.Max(5, Enumerable.Range(0, Values.Count).Select(i => LabelOf(i).Length).DefaultIfEmpty(0).Max());
        var text = new System.Text.StringBuilder($"  {"".PadRight(width)}  {"value",10}" + (passes is null ? "" : "  expected  pass") + "\n");
        for (int i = 0; i < Values.Count; i++)
            text.Append($"  {LabelOf(i).PadRight(width)}  {Num(Values[i]),10}" + (passes is null ? "" : $"  {expectation}  {(passes[i] ? "yes" : "NO")}") + "\n");
        return text.ToString();
    }

    /// <summary>The scratch step: prints the measure's value for every seed to the test log, asserting nothing, to see the
    /// numbers before choosing a threshold.</summary>
    public Measured Print()
    {
        NUnit.Framework.TestContext.Out.WriteLine($"{Measure.Name}, under {ConditionText}\n{Rows()}" +
            (Values.Count == 0 ? "" : $"  median {Num(Median)}, min {Num(Min)}, max {Num(Max)}"));
        return this;
    }

    /// <summary>Three decimals, or three significant digits for small values (update ratios, clip bounds).</summary>
    public static string Num(double value) =>
        value.ToString(value != 0 && Math.Abs(value) < 0.01 ? "G3" : "0.###", CultureInfo.InvariantCulture);
}
