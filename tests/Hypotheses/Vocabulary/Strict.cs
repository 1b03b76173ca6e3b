namespace Hypotheses.Vocabulary;

/// <summary>
/// The largest and smallest of a series, as a hypothesis may trust them: a NaN anywhere gives NaN (Enumerable.Max
/// skips NaN, so a diverged epoch would vanish from a "worst over epochs" measure), and an empty series is an error
/// (never a default that passes).
/// </summary>
public static class Strict
{
    /// <summary>The largest value; NaN if any value is NaN; throws, naming <paramref name="what"/>, if there is none.</summary>
    public static double Largest(this IEnumerable<double> values, string what) => Fold(values, what, Math.Max);

    /// <summary>The smallest value; NaN if any value is NaN; throws, naming <paramref name="what"/>, if there is none.</summary>
    public static double Smallest(this IEnumerable<double> values, string what) => Fold(values, what, Math.Min);

    // Math.Max and Math.Min return NaN when either argument is NaN (IEEE 754-2019 maximum and minimum).
    static double Fold(IEnumerable<double> values, string what, Func<double, double, double> pick)
    {
        double? result = null;
        foreach (double value in values) result = result is { } soFar ? pick(soFar, value) : value;
        return result ?? throw new InvalidOperationException($"{what}: there is no value to measure");
    }
}
