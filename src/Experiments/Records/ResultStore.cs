namespace Experiments.Records;

/// <summary>
/// Run records addressed by content: each under its spec id (<c>&lt;id&gt;.json</c>) in one folder. A spec whose complete
/// record is there is done, so resuming a sweep after a crash, a kill or a failed shard is running it again. Shards and
/// machines can share the folder or copy theirs together: no two specs share a file name. A complete record is never
/// replaced by an incomplete one, whichever job writes it: the check and the rename happen under the folder's lock.
/// </summary>
public sealed class ResultStore(string folder)
{
    public string Folder { get; } = folder;

    public string PathOf(ExperimentSpec spec) => Path.Combine(Folder, spec.Id + ".json");

    /// <summary>The spec's record if it is there, finished (complete, or diverged: training it again would diverge again) and
    /// of this spec; otherwise null (it is trained again). A record saved under the spec's <see cref="ExperimentSpec.FormerId"/>
    /// counts too.</summary>
    public RunRecord? Complete(ExperimentSpec spec)
    {
        string path = PathOf(spec);
        if (!File.Exists(path)) path = Path.Combine(Folder, spec.FormerId + ".json");
        if (!File.Exists(path)) return null;
        try
        {
            var record = RecordJson.Deserialize(File.ReadAllText(path), path);
            return !record.Interrupted && record.Spec == spec ? record : null;
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException) { return null; } // half-written or older: train again
    }

    /// <summary>Writes the record atomically; returns false, writing nothing, where the folder already holds a complete
    /// record of the spec and this one is interrupted (another job finished it).</summary>
    public bool Save(RunRecord record)
    {
        Directory.CreateDirectory(Folder);
        string path = PathOf(record.Spec);
        string temporary = WriteTemporary(path, RecordJson.Serialize(record));
        try
        {
            using var held = FolderLock.Take(Folder);
            if (record.Interrupted && Complete(record.Spec) is not null) return false;
            File.Move(temporary, path, overwrite: true);
            return true;
        }
        finally { File.Delete(temporary); } // gone once moved; left only where the move did not happen
    }

    /// <summary>Writes to a temporary file beside <paramref name="path"/> (a name no other writer uses), flushes it to the
    /// disk, then renames it into place: a reader, a crash or a full disk never leaves half a file under the name.</summary>
    public static void WriteAtomically(string path, string text) => File.Move(WriteTemporary(path, text), path, overwrite: true);

    static string WriteTemporary(string path, string text)
    {
        string temporary = $"{path}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp";
        try
        {
            using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            file.Write(System.Text.Encoding.UTF8.GetBytes(text));
            file.Flush(flushToDisk: true);
        }
        catch
        {
            File.Delete(temporary); // a full disk leaves no partial temporary behind
            throw;
        }
        return temporary;
    }

    /// <summary>Every run record in the folders given (and below them), each spec once: results folders of shards and
    /// machines, or run folders. A complete record wins over an incomplete one of the same spec. A file that is not a
    /// readable run record (empty, cut short, another program's JSON, an older schema) is skipped and named to
    /// <paramref name="skipped"/> with the reason: one bad file in a shared folder does not stop a report.</summary>
    public static IReadOnlyList<RunRecord> LoadAll(IEnumerable<string> folders, Action<string>? skipped = null)
    {
        var records = new Dictionary<string, RunRecord>();
        foreach (string folder in folders)
        {
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: folder not found; expected a folder of run records");
            var search = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
            foreach (string path in Directory.EnumerateFiles(folder, "*.json", search).Order(StringComparer.Ordinal))
            {
                if (TryRead(path, out string problem) is not { } record)
                {
                    skipped?.Invoke($"{path}: skipped, {problem}");
                    continue;
                }
                // Keyed by the spec's id as this program computes it, so that records of one spec written before its values
                // were normalised (-0 and 0) count once.
                string id = record.Spec.Id;
                if (!records.TryGetValue(id, out var known) || (!known.Complete && record.Complete)) records[id] = record;
            }
        }
        return records.Values.ToList();
    }

    /// <summary>The run record at <paramref name="path"/>, or null with what is wrong with the file.</summary>
    public static RunRecord? TryRead(string path, out string problem)
    {
        problem = "";
        RunRecord? record;
        try { record = RecordJson.Deserialize(File.ReadAllText(path), path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException
                                      or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // The reader's messages start with the path; the reason is what follows it.
            string message = e.Message.StartsWith(path, StringComparison.Ordinal) ? e.Message[path.Length..].TrimStart(':', ' ') : e.Message;
            problem = message.Split('\n')[0].Trim();
            return null;
        }
        string? missing = record.Spec is null ? "spec" : record.Environment is null ? "environment" : record.Data is null ? "data"
            : record.Epochs is null || record.Epochs.Count == 0 ? "epochs"
            : record.Epochs.Any(e => e is null || e.Layers is null || e.Layers.Any(l => l is null || l.Metrics is null)) ? "layer statistics"
            : null;
        if (missing is null) return record;
        problem = $"not a whole run record (no {missing})";
        return null;
    }
}
