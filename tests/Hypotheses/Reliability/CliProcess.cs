using System.Diagnostics;

namespace Hypotheses.Reliability;

/// <summary>Runs the command-line program as a user would: a separate process, with its exit code and both streams.</summary>
public sealed class CliProcess : IDisposable
{
    readonly Process process;
    readonly Task<string> stdout, stderr;

    public CliProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Experiments.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment["MKL_CBWR"] = "COMPATIBLE";
        process = Process.Start(start)!;
        stdout = process.StandardOutput.ReadToEndAsync();
        stderr = process.StandardError.ReadToEndAsync();
    }

    public int Id => process.Id;

    public static (int ExitCode, string Out, string Error) Run(params string[] args)
    {
        using var cli = new CliProcess(args);
        return cli.WaitForExit(TimeSpan.FromMinutes(2));
    }

    public (int ExitCode, string Out, string Error) WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the CLI did not exit within {timeout}");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public void Interrupt() => Process.Start("kill", ["-INT", process.Id.ToString()])!.WaitForExit();

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
