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
    public static string Name<T>(T value) where T : struct, Enum => NameOf(value);

    /// <summary>The same for an enum value whose type is not known here.</summary>
    public static string NameOf(Enum value) => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static string Serialize(RunRecord record) => JsonSerializer.Serialize(record, Indented);

    /// <summary>Reads a record of this program's schema; any other schema is refused with a message that says what to do.</summary>
    public static RunRecord Deserialize(string json, string source)
    {
        int schema = SchemaOf(json, source);
        if (schema != RunRecord.CurrentSchema)
            throw new InvalidDataException($"{source}: a run record of schema {schema}; this program reads schema {RunRecord.CurrentSchema} " +
                                           "(records keep their data description and mean-field prediction since schema 2): run its spec again");
        return JsonSerializer.Deserialize<RunRecord>(json, Indented) ?? throw new InvalidDataException($"{source}: empty run record");
    }

    static int SchemaOf(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("schemaVersion", out var version) && version.TryGetInt32(out int schema)
                ? schema
                : throw new InvalidDataException($"{source}: not a run record (expected a JSON object with a whole-number schemaVersion)");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a run record ({e.Message})", e);
        }
    }
}
