namespace Experiments.Reporting;

/// <summary>
/// A run's output folder, written as a hidden partial folder and moved into place only when complete, so
/// that nothing half-written is ever mistaken for a result. <c>runs/latest.txt</c> names the newest run.
/// </summary>
public sealed class RunFolder : IDisposable
{
    readonly string runs;
    bool committed;

    public string RunId { get; }
    public string WorkingPath { get; }
    public string FinalPath => Path.Combine(runs, RunId);

    RunFolder(string runs, string runId)
    {
        this.runs = runs;
        RunId = runId;
        WorkingPath = Path.Combine(runs, $".partial-{runId}");
    }

    /// <summary>Creates the partial folder under <c>{output}/runs</c>; fails with a clear message if it cannot be written.</summary>
    public static RunFolder Create(string output, string runId)
    {
        string runs = Path.Combine(output, "runs");
        var folder = new RunFolder(runs, runId);
        try
        {
            Directory.CreateDirectory(folder.WorkingPath);
            File.WriteAllText(Path.Combine(folder.WorkingPath, ".write-check"), "");
            File.Delete(Path.Combine(folder.WorkingPath, ".write-check"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"--out {output}: cannot write there ({e.Message})", e);
        }
        return folder;
    }

    public string PathOf(string file) => Path.Combine(WorkingPath, file);

    /// <summary>Moves the finished folder into place and points runs/latest.txt (and the runs/latest link) at it.</summary>
    public string Commit()
    {
        if (Directory.Exists(FinalPath)) Directory.Delete(FinalPath, recursive: true);
        Directory.Move(WorkingPath, FinalPath);
        committed = true;
        string pointer = Path.Combine(runs, "latest.txt");
        File.WriteAllText(pointer + ".tmp", RunId + "\n");
        File.Move(pointer + ".tmp", pointer, overwrite: true);
        TryLinkLatest();
        return FinalPath;
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

    public void Dispose()
    {
        if (!committed && Directory.Exists(WorkingPath)) Directory.Delete(WorkingPath, recursive: true);
    }
}
