using FluentAssertions;

namespace Hypotheses.Vocabulary;

/// <summary>
/// Assertions on a sample that state, when they fail, the claim, the condition, the measured values and the
/// threshold; and that record the verdict the data gives ("holds", "refuted", "holds only when ...").
/// </summary>
public static class SampleAssertions
{
    public static void ShouldAllBeBelow(this Sample sample, double threshold, Claim claim, string verdict) =>
        Check(sample, v => v < threshold, $"every seed < {Sample.Num(threshold)}", claim, verdict);

    public static void ShouldAllBeAbove(this Sample sample, double threshold, Claim claim, string verdict) =>
        Check(sample, v => v > threshold, $"every seed > {Sample.Num(threshold)}", claim, verdict);

    public static void ShouldAllBeBetween(this Sample sample, double low, double high, Claim claim, string verdict) =>
        Check(sample, v => v >= low && v <= high, $"every seed in [{Sample.Num(low)}, {Sample.Num(high)}]", claim, verdict);

    /// <summary>Every seed of <paramref name="sample"/> lies above every seed of <paramref name="other"/> by more than <paramref name="margin"/>.</summary>
    public static void ShouldAllExceed(this Sample sample, Sample other, double margin, Claim claim, string verdict) =>
        Check(sample, v => v > other.Max + margin,
            $"every seed > max of [{other.ConditionText}] ({Sample.Num(other.Max)}) + {Sample.Num(margin)}", claim, verdict, other);

    static void Check(Sample sample, Func<double, bool> holds, string expectation, Claim claim, string verdict, Sample? other = null)
    {
        // No seeds, or a comparison sample with no seeds, is no evidence: it fails instead of passing vacuously.
        sample.Values.Should().NotBeEmpty("the claim \"{0}\" needs measured values of {1}", claim.Name, sample.Measure.Name);
        other?.Values.Should().NotBeEmpty("the claim \"{0}\" compares with measured values of {1}", claim.Name, other.Measure.Name);
        // NaN and ±∞ (a diverged run, a zero gradient's log) fail every assertion, whatever the comparison says of them;
        // a non-finite value in the sample compared with fails them all.
        bool otherFinite = other is null || other.Values.All(double.IsFinite);
        var valuesOutsideTheExpectation = sample.Values.Where(v => !double.IsFinite(v) || !otherFinite || !holds(v)).ToList();
        bool passed = valuesOutsideTheExpectation.Count == 0;
        Verdicts.Add(new VerdictRow(claim, passed ? verdict : $"data disagrees with \"{verdict}\"", sample, expectation, passed));
        string because = $"the claim \"{claim.Name}\" ({claim.Quote}) is recorded as {verdict.ToUpperInvariant()}: expected {expectation}" +
                         (otherFinite ? "" : " (the values compared with are not all finite)") +
                         $"; measured {sample}" + (other is null ? "" : $"; compared with {other}");
        valuesOutsideTheExpectation.Should().BeEmpty("{0}", because);
    }
}
