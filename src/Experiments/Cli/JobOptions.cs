using System.CommandLine;
using Experiments.Records;

namespace Experiments.Cli;

/// <summary>The options of the commands that train or write runs, declared once.</summary>
public static class JobOptions
{
    public static Option<string> Output(string what) =>
        new("--out") { Description = $"output folder ({what})", DefaultValueFactory = _ => "artifacts" };

    public static Option<int> Parallel() =>
        new("--parallel") { Description = "runs trained at once", DefaultValueFactory = _ => Environment.ProcessorCount };

    /// <summary>The number of runs to train at once, at least 1.</summary>
    public static int ParallelOf(ParseResult parsed, Option<int> parallel)
    {
        int runs = parsed.GetValue(parallel);
        return runs >= 1 ? runs : throw new SpecException($"{parallel.Name} {runs}: expected at least 1");
    }
}
