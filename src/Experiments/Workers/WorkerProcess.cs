using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Experiments.Records;

namespace Experiments.Workers;

/// <summary>
/// One worker process, seen from its parent: trains the specs it is sent, one at a time. If it dies (a native
/// crash, out of memory, a kill), the run it was training fails with the reason, and the process is not used again.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    const int SigTerm = 15;
    const int StderrLinesKept = 20;

    /// <summary>Seconds a worker may send nothing before it is killed and its run failed: a stopped (SIGSTOP) or hung
    /// worker would otherwise keep its job waiting forever. A training worker sends a step line a few times a second.</summary>
    public const string SilenceVariable = "EXPERIMENTS_WORKER_SILENCE_SECONDS";
    static readonly TimeSpan DefaultSilence = TimeSpan.FromMinutes(5);

    /// <summary>How long a worker may send nothing before it is killed: <see cref="SilenceVariable"/>, or 5 minutes (a
    /// training worker reports a few times a second). A job checks it before it starts.</summary>
    public static TimeSpan SilenceLimit() => EnvironmentLimit.Seconds(SilenceVariable, DefaultSilence);

    readonly TimeSpan silenceLimit = SilenceLimit();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SendSignal(int pid, int signal);

    readonly Process process;
    readonly Queue<string> stderrTail = new();
    readonly Timer watchdog;
    bool killedForSilence;

    public bool Alive { get; private set; } = true;

    WorkerProcess(Process process)
    {
        this.process = process;
        watchdog = new Timer(_ =>
        {
            Volatile.Write(ref killedForSilence, true);
            try { process.Kill(); } catch (InvalidOperationException) { } // it exited meanwhile
        });
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderrTail)
            {
                stderrTail.Enqueue(e.Data);
                if (stderrTail.Count > StderrLinesKept) stderrTail.Dequeue();
            }
        };
        process.BeginErrorReadLine();
    }

    /// <summary>The worker's next line, or null once its output ends (as it does when the watchdog kills it).</summary>
    string? ReadLine()
    {
        watchdog.Change(silenceLimit, Timeout.InfiniteTimeSpan);
        try { return process.StandardOutput.ReadLine(); }
        finally { watchdog.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan); }
    }

    /// <summary>Starts the project's own program (beside this assembly) as a worker, with this process's environment.</summary>
    public static WorkerProcess Start()
    {
        string assembly = typeof(WorkerProcess).Assembly.Location;
        // A self-contained program (published with its runtime beside it) has no dotnet host: it starts its own executable.
        bool selfContained = Path.GetDirectoryName(typeof(object).Assembly.Location) == Path.GetDirectoryName(assembly);
        var start = new ProcessStartInfo(selfContained ? Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null) : DotnetHost())
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (!selfContained) start.ArgumentList.Add(assembly);
        start.ArgumentList.Add(WorkerProtocol.Command);
        var worker = new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start a worker process"));
        if (worker.ReadLine() != WorkerProtocol.Ready) worker.Alive = false; // its first run reports why
        return worker;
    }

    /// <summary>Trains the request's spec; <paramref name="onProgress"/> sees each epoch and step line as the worker reports it.</summary>
    public RunOutcome Train(TrainRequest request, Action<WorkerEvent>? onProgress = null)
    {
        var spec = request.Spec;
        if (!Alive) return RunOutcome.Failure(spec, WhyItEnded());
        var warnings = new List<string>();
        try
        {
            process.StandardInput.WriteLine(WorkerProtocol.RequestLine(request));
            process.StandardInput.Flush();
            while (ReadLine() is { } line)
            {
                var message = WorkerProtocol.Parse(line);
                switch (message)
                {
                    case EpochDone or StepDone: onProgress?.Invoke(message); break;
                    case RunWarning warning: warnings.Add(warning.Message); break;
                    case RunDone done:
                        // An interrupted run (incomplete) is the worker's last: it exits after sending it.
                        if (!done.Record.Complete) Alive = false;
                        return RunOutcome.Success(spec, done.Record) with { Warnings = warnings };
                    case RunFailed failed: Alive = false; return RunOutcome.Failure(spec, failed.Reason);
                }
            }
        }
        catch (IOException) { } // the pipe broke: the process is gone, described below
        Alive = false;
        return RunOutcome.Failure(spec, WhyItEnded());
    }

    /// <summary>
    /// Asks the worker to stop its run after the current step and send the record so far. SIGTERM, not SIGINT: a
    /// process started in the background by a shell inherits SIGINT ignored, and .NET then leaves it ignored.
    /// </summary>
    public void Interrupt()
    {
        if (Alive && !OperatingSystem.IsWindows() && !process.HasExited) SendSignal(process.Id, SigTerm);
    }

    string WhyItEnded() => Volatile.Read(ref killedForSilence)
        ? string.Create(CultureInfo.InvariantCulture,
            $"the worker process sent nothing for {silenceLimit.TotalSeconds:0.#} s and was killed (the limit is {SilenceVariable})")
        : DescribeExit();

    string DescribeExit()
    {
        if (!process.WaitForExit(TimeSpan.FromSeconds(10))) process.Kill();
        process.WaitForExit(); // drains the standard error reader
        int code = process.ExitCode;
        string how = code > 128 && !OperatingSystem.IsWindows() ? $"killed by signal {code - 128}" : $"exit code {code}";
        string[] tail;
        lock (stderrTail) tail = stderrTail.ToArray();
        string? said = ReadableReason(tail);
        return $"the worker process ended ({how})" + (said is null ? "" : $": {said}");
    }

    /// <summary>The first line of a dead worker's standard error a person can read: .NET's "Unhandled exception. X: message",
    /// "Process terminated." with its reason, libtorch's error; not stack frames. Null when it said nothing.</summary>
    internal static string? ReadableReason(IReadOnlyList<string> stderrTail)
    {
        var readable = stderrTail.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("at ", StringComparison.Ordinal)
                                                                 && !l.StartsWith("frame #", StringComparison.Ordinal)).ToList();
        string? said = readable.FirstOrDefault(l => l.Contains("exception", StringComparison.OrdinalIgnoreCase)
                                                    || l.Contains("error", StringComparison.OrdinalIgnoreCase)
                                                    || l.Contains("terminated", StringComparison.OrdinalIgnoreCase))
                       ?? readable.FirstOrDefault();
        int next = said is null ? -1 : readable.IndexOf(said) + 1;
        if (said is { Length: < 30 } && next < readable.Count) said += " " + readable[next]; // "Process terminated." then its reason
        return said;
    }

    /// <summary>The dotnet host running this process: the same runtime runs the worker, whatever PATH says.</summary>
    static string DotnetHost()
    {
        string runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory(); // three folders below the dotnet root
        string root = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        string host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }

    public void Dispose()
    {
        Alive = false;
        watchdog.Dispose();
        try
        {
            process.StandardInput.Close(); // an idle worker exits when its input ends
            if (!process.WaitForExit(TimeSpan.FromSeconds(5))) process.Kill();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException) { }
        process.Dispose();
    }
}

/// <summary>How one run ended: its record (complete, interrupted or diverged), or the reason it failed.</summary>
public sealed record RunOutcome(ExperimentSpec Spec, RunRecord? Record, string? FailureReason)
{
    /// <summary>What the worker said went wrong without stopping the run (event files it could not write).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public static RunOutcome Success(ExperimentSpec spec, RunRecord record) => new(spec, record, null);
    public static RunOutcome Failure(ExperimentSpec spec, string reason) => new(spec, null, reason);
    public bool Failed => Record is null;
}
