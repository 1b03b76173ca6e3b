using Experiments.Records;

namespace Experiments.Reporting;

/// <summary>
/// A CSV column for every spec field (<see cref="SpecFields"/>): names in snake_case (learning_rate), values as the record's
/// JSON writes them; empty for none and for a field that does not apply to the spec (σ_w² under Glorot, momentum under
/// Adam), so that every not-applicable value is written one way. pandas' groupby drops rows with an empty key unless given
/// dropna=False (README, "Reading the CSVs"); R's group_by keeps them.
/// </summary>
public static class SpecColumns
{
    public static IReadOnlyList<string> Names { get; } = SpecFields.All.Select(f => f.Column).ToList();

    public static IEnumerable<string> Values(ExperimentSpec spec) => SpecFields.All.Select(f => f.Applies(spec) ? f.Text(spec) : "");

    /// <summary>A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"")}\"";
}
