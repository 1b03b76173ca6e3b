using System.Diagnostics;
using System.Reflection;
using Hypotheses.Vocabulary;

namespace Hypotheses.Ship;

/// <summary>Runs what a user runs around the program (dotnet build and publish, a built or published program) and
/// keeps its exit code and output.</summary>
public static class ShipProcess
{
    /// <summary>The checkout these tests were built from.</summary>
    public static string Repository => Artifacts.Root ?? throw new InvalidOperationException(
        $"no Experiments.sln above {AppContext.BaseDirectory}: these tests build and publish the checkout they come from");

    public static string Project => Path.Combine(Repository, "src", "Experiments", "Experiments.csproj");

    /// <summary>The configuration the tests were built in (Debug or Release): the one they build and publish.</summary>
    public static string Configuration =>
        typeof(ShipProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The project's own build output (what `dotnet run --project src/Experiments` runs).</summary>
    public static string BuildOutput => Path.Combine(Repository, "src", "Experiments", "bin", Configuration, "net10.0");

    public static (int ExitCode, string Output) Run(string program, IEnumerable<string> args, string workingDirectory,
        TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        // A build started from a test run must not inherit the settings of the build that started the tests.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        var output = new System.Text.StringBuilder();
        using var process = new Process { StartInfo = start };
        DataReceivedEventHandler append = (_, e) => { if (e.Data is not null) lock (output) output.Append(e.Data).Append('\n'); };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not exit within {timeout}");
        }
        process.WaitForExit(); // drains the redirected streams
        lock (output) return (process.ExitCode, output.ToString());
    }

    /// <summary>Runs the dotnet command (build, publish) in the repository; fails the test with its output if it fails.</summary>
    public static void Dotnet(params string[] args)
    {
        var (exitCode, output) = Run("dotnet", args, Repository, TimeSpan.FromMinutes(10));
        if (exitCode != 0) throw new InvalidOperationException($"dotnet {string.Join(' ', args)} exited with {exitCode}:\n{output}");
    }
}
