using System.Text.Json;
using Experiments.Records;

namespace Experiments.Reporting;

/// <summary>
/// A CSV column for every spec field, derived from the spec's JSON: a field added to the spec gets its column without
/// a change here. Names in snake_case (learning_rate), values as the record's JSON writes them; empty for none and for a
/// field that does not apply to the spec (σ_w² under Glorot, momentum under Adam: <see cref="SpecApplicability"/>), so
/// that every not-applicable value is written one way. pandas' groupby drops rows with an empty key unless given
/// dropna=False (README, "Reading the CSVs"); R's group_by keeps them.
/// </summary>
public static class SpecColumns
{
    public static IReadOnlyList<string> Names { get; } =
        Properties(new ExperimentSpec()).Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)).ToList();

    public static IEnumerable<string> Values(ExperimentSpec spec) => Properties(spec).Select(p => p.Value.ValueKind switch
    {
        _ when !SpecApplicability.Applies(spec, p.Name) => "",
        JsonValueKind.String => p.Value.GetString()!,
        JsonValueKind.Null => "",
        _ => p.Value.GetRawText(),
    });

    static IEnumerable<JsonProperty> Properties(ExperimentSpec spec) =>
        JsonSerializer.SerializeToElement(spec, RecordJson.Compact).EnumerateObject();

    /// <summary>A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"")}\"";
}
