using System.Text;
using FluentAssertions.Execution;
using NUnit.Framework;

namespace Hypotheses.Vocabulary;

/// <summary>
/// Assertions on measured values. Each prints a table (one row per seed: value, expectation, pass) to the test's log,
/// passing or failing, and records the verdict the data gives ("holds", "refuted", "holds only when ..."). A failure
/// names the claim and every failing seed in a few short lines, and points at the records and figures kept for it.
/// NaN, ±∞ and an empty set of values fail every assertion.
/// </summary>
public static class MeasuredAssertions
{
    public static void ShouldAllBeBelow(this Measured measured, double threshold, Claim claim, string verdict) =>
        Check(measured, v => v < threshold, $"< {Measured.Num(threshold)}", claim, verdict);

    public static void ShouldAllBeAbove(this Measured measured, double threshold, Claim claim, string verdict) =>
        Check(measured, v => v > threshold, $"> {Measured.Num(threshold)}", claim, verdict);

    public static void ShouldAllBeBetween(this Measured measured, double low, double high, Claim claim, string verdict) =>
        Check(measured, v => v >= low && v <= high, $"in [{Measured.Num(low)}, {Measured.Num(high)}]", claim, verdict);

    /// <summary>Every value of <paramref name="measured"/> lies above every value of <paramref name="other"/> by more than <paramref name="margin"/>.</summary>
    public static void ShouldAllExceed(this Measured measured, Measured other, double margin, Claim claim, string verdict)
    {
        // An empty or non-finite comparison is no evidence: its largest value is NaN (or missing), which no value exceeds.
        double bar = other.Values.Count > 0 ? other.Max + margin : double.NaN;
        Check(measured, v => v > bar, $"> {Measured.Num(bar)} (max of [{other.ConditionText}] + {Measured.Num(margin)})", claim, verdict, other);
    }

    static void Check(Measured measured, Func<double, bool> holds, string expectation, Claim claim, string verdict, Measured? other = null)
    {
        bool otherFinite = other is null || (other.Values.Count > 0 && other.Values.All(double.IsFinite));
        var passes = measured.Values.Select(v => double.IsFinite(v) && otherFinite && holds(v)).ToList();
        bool passed = measured.Values.Count > 0 && passes.All(p => p);
        string evidence = Artifacts.Keep(measured, passes, passed);
        Verdicts.Add(new VerdictRow(claim, passed ? verdict : $"data disagrees with \"{verdict}\"", measured, $"every value {expectation}", passed));
        TestContext.Out.WriteLine(Table(measured, passes, expectation, claim, passed ? verdict : "FAILED", other) + evidence);

        var failing = measured.Values.Select((v, i) => (v, i)).Where(p => !passes[p.i]).Select(p => $"{measured.LabelOf(p.i)} = {Measured.Num(p.v)}");
        string message = measured.Values.Count == 0
            ? $"\"{claim.Name}\" ({verdict}): no values of {measured.Measure.Name} to judge"
            : $"\"{claim.Name}\" ({verdict}) fails: {string.Join(", ", failing)}; expected every value {expectation}" +
              (otherFinite ? "" : " (the values compared with are missing or not finite)") +
              $"\n  measure: {measured.Measure.Name}\n  condition: {measured.ConditionText}" + evidence;
        Execute.Assertion.ForCondition(passed).FailWith(message.Replace("{", "{{").Replace("}", "}}"));
    }

    static string Table(Measured measured, IReadOnlyList<bool> passes, string expectation, Claim claim, string verdict, Measured? other)
    {
        var text = new StringBuilder($"{claim.Name}: {verdict}\n  {measured.Measure.Name}, under {measured.ConditionText}\n");
        if (other is not null) text.Append($"  compared with {other}\n");
        return text.Append(measured.Rows(passes, expectation)).ToString();
    }
}
