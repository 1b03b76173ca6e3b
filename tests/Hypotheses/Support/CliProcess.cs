using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Hypotheses.Support;

/// <summary>Runs the command-line program as a user would: a separate process, with its exit code and both streams.</summary>
public sealed class CliProcess : IDisposable
{
    const int SigInt = 2;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SendSignal(int pid, int signal);

    [DllImport("libc", EntryPoint = "signal")]
    static extern IntPtr SetDisposition(int signal, IntPtr handler);

    static CliProcess()
    {
        // A test run started in the background by a shell inherits SIGINT ignored, and so would every program it starts
        // (.NET keeps an inherited SIGINT ignored). Give the programs Ctrl+C as a user at a terminal has it; where SIGINT
        // was not ignored, the handler in place is put back.
        if (OperatingSystem.IsWindows()) return;
        IntPtr ignore = 1, previous = SetDisposition(SigInt, IntPtr.Zero);
        if (previous != ignore) SetDisposition(SigInt, previous);
    }

    readonly Process process;
    readonly System.Text.StringBuilder stdout = new(), stderr = new();

    public CliProcess(params string[] args) : this(new Dictionary<string, string>(), args) { }

    public CliProcess(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Experiments.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    static void Append(System.Text.StringBuilder text, string? line)
    {
        if (line is null) return;
        lock (text) text.Append(line).Append('\n');
    }

    /// <summary>What the program has written to stdout so far.</summary>
    public string OutputSoFar
    {
        get { lock (stdout) return stdout.ToString(); }
    }

    public int Id => process.Id;

    public static (int ExitCode, string Out, string Error) Run(params string[] args) => Run(TimeSpan.FromMinutes(2), args);

    public static (int ExitCode, string Out, string Error) Run(TimeSpan timeout, params string[] args)
    {
        using var cli = new CliProcess(args);
        return cli.WaitForExit(timeout);
    }

    public (int ExitCode, string Out, string Error) WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the CLI did not exit within {timeout}");
        }
        process.WaitForExit(); // drains the redirected streams
        lock (stdout) lock (stderr) return (process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does (to the program only: a terminal would signal its workers too).</summary>
    public void Interrupt() => Signal(SigInt);

    /// <summary>Sends a signal to the program (through libc: no kill binary needed).</summary>
    public void Signal(int signal)
    {
        if (SendSignal(process.Id, signal) != 0) throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Kills the program and its workers at once (SIGKILL), leaving whatever it had on disk.</summary>
    public void KillHard() => process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
