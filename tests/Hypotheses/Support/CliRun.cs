namespace Hypotheses.Support;

/// <summary>What the CLI tests read off a job's output folder while it runs and after.</summary>
public static class CliRun
{
    /// <summary>Waits until training is under way: the partial folder exists (data checked), then workers start and train.</summary>
    public static void WaitForTrainingToStart(string output)
    {
        string runs = Path.Combine(output, "runs");
        WaitFor(() => Directory.Exists(runs) && Directory.GetDirectories(runs, ".partial-*").Length > 0, "the partial run folder");
        Thread.Sleep(5000); // worker processes started, libtorch loaded, steps under way
    }

    public static void WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} did not appear within 90 s");
            Thread.Sleep(100);
        }
    }

    public static string RunFolderOf(string output)
    {
        string runs = Path.Combine(output, "runs");
        return Path.Combine(runs, File.ReadAllText(Path.Combine(runs, "latest.txt")).Trim());
    }
}
