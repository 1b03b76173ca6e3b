using Experiments.Records;

namespace Experiments.Reporting;

/// <summary>
/// A run's output folder. It is written as a hidden partial folder, locked by the job that writes it, and moved into
/// place only when complete, so that nothing half-written is ever mistaken for a result. Records are written into it
/// as soon as each run ends; a partial folder whose job was killed is recovered by the next job
/// (<see cref="RecoverAbandoned"/>). <c>runs/latest.txt</c> names the newest run.
/// </summary>
public sealed class RunFolder : IDisposable
{
    const string PartialPrefix = ".partial-";
    /// <summary>The longest name a partial folder takes (run id, process id, nonce), for path-length checks.</summary>
    public const string LongestPartialName = ".partial-yyyyMMdd-HHmmss-xxxxxx-2147483647-fffff";
    const string LockFile = ".lock";
    /// <summary>A partial folder without a lock file is a job's only between creating the folder and its lock.</summary>
    static readonly TimeSpan UnlockedGrace = TimeSpan.FromMinutes(1);

    readonly string runs;
    FileStream? lockStream;
    /// <summary>Where the folder was moved by <see cref="Commit"/> or <see cref="KeepIncomplete"/>; null while it is partial.</summary>
    string? placed;

    public string RunId { get; private set; }
    public string WorkingPath { get; }

    RunFolder(string runs, string runId)
    {
        this.runs = runs;
        RunId = runId;
        // The process id and a random suffix keep two jobs with the same run id (same specs, same second) apart.
        WorkingPath = Path.Combine(runs, $"{PartialPrefix}{runId}-{Environment.ProcessId}-{Random.Shared.Next(1 << 20):x5}");
    }

    /// <summary>Creates and locks the partial folder under <c>{output}/runs</c>; fails with a clear message if it cannot be written.</summary>
    public static RunFolder Create(string output, string runId)
    {
        string runs = Path.Combine(output, "runs");
        var folder = new RunFolder(runs, runId);
        try
        {
            Directory.CreateDirectory(folder.WorkingPath);
            folder.lockStream = new FileStream(Path.Combine(folder.WorkingPath, LockFile), FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{output}: cannot write there ({e.Message})", e); // the folder the user named
        }
        return folder;
    }

    public string PathOf(string file) => Path.Combine(WorkingPath, file);

    /// <summary>Writes a file whole or not at all: a reader (or a killed job's recovery) never sees half of it.</summary>
    public void WriteAtomically(string file, string text) => ResultStore.WriteAtomically(PathOf(file), text);

    /// <summary>
    /// Moves the finished folder into place (as <c>{run id}</c>, or <c>{run id}-2</c>, ... if another job took that name)
    /// and points runs/latest.txt and the runs/latest link at it. Returns the final path and, if the pointer could not
    /// be written, a warning: the run itself is saved.
    /// </summary>
    public (string Path, string? Warning) Commit()
    {
        ReleaseLock();
        placed = MoveToFreeName(RunId);
        RunId = Path.GetFileName(placed);
        return (placed, PointLatestHere());
    }

    /// <summary>Moves the partial folder to <c>runs/{name}</c>, or <c>{name}-2</c>, ... where another job took the name
    /// (also between the look and the move).</summary>
    string MoveToFreeName(string name)
    {
        for (int attempt = 1; ; attempt++)
        {
            string target = Path.Combine(runs, attempt == 1 ? name : $"{name}-{attempt}");
            try
            {
                if (Directory.Exists(target)) continue;
                Directory.Move(WorkingPath, target);
                return target;
            }
            catch (IOException) when (Directory.Exists(target) && attempt < 100) { }
        }
    }

    string? PointLatestHere()
    {
        try
        {
            ResultStore.WriteAtomically(Path.Combine(runs, "latest.txt"), RunId + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"could not update {Path.Combine(runs, "latest.txt")} ({e.Message}); the run is saved";
        }
        TryLinkLatest();
        return null;
    }

    void TryLinkLatest()
    {
        string link = Path.Combine(runs, "latest");
        try
        {
            if (new FileInfo(link).LinkTarget != null || Directory.Exists(link)) Directory.Delete(link);
            Directory.CreateSymbolicLink(link, RunId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // latest.txt is the portable pointer; the link is a convenience where the file system allows it.
        }
    }

    /// <summary>
    /// Partial folders under <c>{output}/runs</c> whose job is gone (killed before it could clean up): each is moved to
    /// <c>{name}-killed</c> if it holds finished records, else removed. Returns one line per folder, for a warning.
    /// </summary>
    public static IReadOnlyList<string> RecoverAbandoned(string output)
    {
        string runs = Path.Combine(output, "runs");
        if (!Directory.Exists(runs)) return [];
        var notes = new List<string>();
        foreach (string partial in Directory.GetDirectories(runs, PartialPrefix + "*"))
        {
            if (!IsAbandoned(partial)) continue;
            var records = Directory.GetFiles(partial, "*.json");
            try
            {
                if (records.Length == 0)
                {
                    Directory.Delete(partial, recursive: true);
                    notes.Add($"removed {partial}: left empty by a job that was killed");
                    continue;
                }
                File.Delete(Path.Combine(partial, LockFile));
                string recovered = Path.Combine(runs, Path.GetFileName(partial)[PartialPrefix.Length..] + "-killed");
                Directory.Move(partial, recovered);
                notes.Add($"recovered {records.Length} record(s) of a job that was killed into {recovered} (no figures or report)");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                notes.Add($"left {partial} from a job that was killed: could not move it ({e.Message})");
            }
        }
        return notes;
    }

    static bool IsAbandoned(string partial)
    {
        string lockPath = Path.Combine(partial, LockFile);
        if (!File.Exists(lockPath)) return DateTime.UtcNow - Directory.GetLastWriteTimeUtc(partial) > UnlockedGrace;
        try
        {
            using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.Write, FileShare.None);
            return true; // nobody holds the lock: its job has ended without committing or cleaning up
        }
        catch (IOException) { return false; } // a running job holds it
        catch (UnauthorizedAccessException) { return false; }
    }

    void ReleaseLock()
    {
        lockStream?.Dispose();
        lockStream = null;
        File.Delete(Path.Combine(WorkingPath, LockFile));
    }

    /// <summary>
    /// For a job that failed after some of its runs finished: the partial folder, with its records, is moved to
    /// <c>{run id}-incomplete</c> (nothing else is committed, latest.txt is not moved). Returns where the records are:
    /// the new folder, or the partial one if it could not be moved (the next job recovers it).
    /// </summary>
    public string KeepIncomplete()
    {
        if (placed is not null) return placed; // committed before the failure: the records are in place
        placed = WorkingPath; // from here on nothing is deleted, whether or not the move below succeeds
        try
        {
            ReleaseLock();
            placed = MoveToFreeName($"{RunId}-incomplete");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return placed;
    }

    /// <summary>Ends a job that did not commit: its partial folder is removed if it holds no record; one that holds records
    /// is never deleted here (see <see cref="KeepIncomplete"/>; a killed job's is recovered by the next job).</summary>
    public void Dispose()
    {
        if (placed is not null) return;
        lockStream?.Dispose();
        if (!Directory.Exists(WorkingPath)) return;
        if (Directory.EnumerateFiles(WorkingPath, "*.json").Any(f => ResultStore.TryRead(f, out _) is not null)) KeepIncomplete();
        else Directory.Delete(WorkingPath, recursive: true);
    }
}
