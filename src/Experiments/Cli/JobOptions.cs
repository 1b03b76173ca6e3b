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

    /// <summary>--shard i/n and --shards n: which part of a grid a task of a job array trains (<see cref="Cli.Shard.From"/>).</summary>
    public static (Option<string?> Shard, Option<int?> Shards) Shards() =>
        (new("--shard") { Description = "train shard i of n (i/n, from 0); default: shard SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX of --shards, else all" },
         new("--shards") { Description = "the number of shards, the same in every task of a job array (whose index picks the shard)" });

    /// <summary>The number of runs to train at once, at least 1.</summary>
    public static int ParallelOf(ParseResult parsed, Option<int> parallel)
    {
        int runs = parsed.GetValue(parallel);
        return runs >= 1 ? runs : throw new SpecException($"{parallel.Name} {runs}: expected at least 1");
    }
}
