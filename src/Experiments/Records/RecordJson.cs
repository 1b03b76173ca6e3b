using System.Text.Json.Serialization;
using System.Text.Json;

namespace Experiments.Records;

/// <summary>The one JSON convention of the project: camelCase names, kebab-case enums, NaN and ±Infinity as strings.</summary>
public static class RecordJson
{
    public static readonly JsonSerializerOptions Indented = Create(indented: true);
    public static readonly JsonSerializerOptions Compact = Create(indented: false);

    static JsonSerializerOptions Create(bool indented) => new()
    {
        WriteIndented = indented,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Divergence is a result: non-finite measurements are kept, written as "NaN", "Infinity", "-Infinity".
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    /// <summary>An enum value as the JSON and the command line spell it (e.g. GlorotUniform → glorot-uniform).</summary>
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static string Serialize(RunRecord record) => JsonSerializer.Serialize(record, Indented);

    public static RunRecord Deserialize(string json, string source) =>
        JsonSerializer.Deserialize<RunRecord>(json, Indented)
        ?? throw new InvalidDataException($"{source}: empty run record");
}
