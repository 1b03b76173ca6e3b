namespace Hypotheses.Support;

/// <summary>A job's worker processes seen from outside, through /proc: which there are, which train, and signals to them.</summary>
public static class WorkerProcesses
{
    /// <summary>The children of <paramref name="parent"/> that run as workers.</summary>
    public static List<int> Of(int parent) =>
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)).Select(int.Parse!)
            .Where(pid => ParentOf(pid) == parent && RunsAsWorker(pid)).ToList();

    /// <summary>Whether the worker has loaded libtorch: its start-up is over and it trains.</summary>
    public static bool Trains(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/maps").Contains("libtorch", StringComparison.Ordinal); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>Whether the process exists and has not exited (a zombie has).</summary>
    public static bool Alive(int pid)
    {
        try { return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>Waits for the first worker of <paramref name="parent"/> that trains, and returns its id.</summary>
    public static int WaitForTraining(int parent)
    {
        int worker = 0;
        CliRun.WaitFor(() => (worker = Of(parent).FirstOrDefault(Trains)) > 0, "a training worker");
        return worker;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    public static extern int Signal(int pid, int signal);

    static bool RunsAsWorker(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Contains("worker"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    static int? ParentOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]); // after "pid (name) state"
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return null; }
    }
}
