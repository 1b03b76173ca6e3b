namespace Experiments.Records;

/// <summary>
/// Run records addressed by content: each under its spec id (<c>&lt;id&gt;.json</c>) in one folder. A spec whose complete
/// record is there is done, so resuming a sweep after a crash, a kill or a failed shard is running it again. Shards and
/// machines can share the folder or copy theirs together: no two specs share a file name.
/// </summary>
public sealed class ResultStore(string folder)
{
    public string Folder { get; } = folder;

    public string PathOf(ExperimentSpec spec) => Path.Combine(Folder, spec.Id + ".json");

    /// <summary>The spec's record if it is there, complete and of this spec; otherwise null (it is trained again).</summary>
    public RunRecord? Complete(ExperimentSpec spec)
    {
        string path = PathOf(spec);
        if (!File.Exists(path)) return null;
        try
        {
            var record = RecordJson.Deserialize(File.ReadAllText(path), path);
            return record.Complete && record.Spec == spec ? record : null;
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException) { return null; } // half-written or older: train again
    }

    /// <summary>Writes the record atomically, under a name no other process writes at the same time.</summary>
    public void Save(RunRecord record)
    {
        Directory.CreateDirectory(Folder);
        WriteAtomically(PathOf(record.Spec), RecordJson.Serialize(record));
    }

    /// <summary>Writes to a temporary file beside <paramref name="path"/>, then renames it into place.</summary>
    public static void WriteAtomically(string path, string text)
    {
        string temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Every run record in the folders given (and below them), each spec once: results folders of shards and
    /// machines, or run folders. A complete record wins over an incomplete one of the same spec.</summary>
    public static IReadOnlyList<RunRecord> LoadAll(IEnumerable<string> folders)
    {
        var records = new Dictionary<string, RunRecord>();
        foreach (string folder in folders)
        {
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: folder not found; expected a folder of run records");
            foreach (string path in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var record = RecordJson.Deserialize(File.ReadAllText(path), path);
                if (!records.TryGetValue(record.SpecId, out var known) || (!known.Complete && record.Complete)) records[record.SpecId] = record;
            }
        }
        return records.Values.ToList();
    }
}
