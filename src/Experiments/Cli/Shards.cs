using System.Globalization;
using Experiments.Records;

namespace Experiments.Cli;

/// <summary>
/// One of <see cref="Count"/> deterministic parts of a sweep, for job arrays: every spec lands in exactly one shard, and
/// shards get about equal work (estimated cost depth × width² × steps, largest first to the least loaded shard).
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary><c>--shard i/n</c> (0 ≤ i &lt; n) if given; otherwise a job array's variables (Slurm: SLURM_ARRAY_TASK_ID less
    /// SLURM_ARRAY_TASK_MIN, of SLURM_ARRAY_TASK_COUNT; Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX of JOB_COMPLETIONS,
    /// which the Job sets); otherwise null: the whole sweep.</summary>
    public static Shard? From(string? option, Func<string, string?> environment)
    {
        if (option != null)
        {
            var parts = option.Split('/');
            if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && i < n)
                return new Shard(i, n);
            throw new SpecException($"--shard {option}: expected i/n with 0 ≤ i < n, e.g. 0/3 (shards count from 0, as job arrays do)");
        }
        if (environment("SLURM_ARRAY_TASK_ID") is { } slurm)
            return FromVariables("SLURM_ARRAY_TASK_ID", slurm, "SLURM_ARRAY_TASK_COUNT", environment("SLURM_ARRAY_TASK_COUNT"),
                Whole("SLURM_ARRAY_TASK_MIN", environment("SLURM_ARRAY_TASK_MIN") ?? "0"));
        if (environment("JOB_COMPLETION_INDEX") is { } kubernetes)
            return FromVariables("JOB_COMPLETION_INDEX", kubernetes, "JOB_COMPLETIONS", environment("JOB_COMPLETIONS"), 0);
        return null;
    }

    static Shard FromVariables(string indexName, string index, string countName, string? count, int first)
    {
        if (count is null) throw new SpecException($"{indexName} is set but {countName} is not: expected the number of shards in {countName}");
        int i = Whole(indexName, index) - first, n = Whole(countName, count);
        if (n < 1 || i < 0 || i >= n) throw new SpecException($"{indexName}={index}, {countName}={count}: expected an index from {first} to {first + n - 1}");
        return new Shard(i, n);
    }

    static int Whole(string name, string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
        ? value : throw new SpecException($"{name}={text}: expected a whole number");

    /// <summary>This shard's specs, in their sweep order.</summary>
    public IReadOnlyList<ExperimentSpec> Select(IReadOnlyList<ExperimentSpec> specs)
    {
        var load = new double[Count];
        var mine = new HashSet<string>();
        foreach (var spec in specs.OrderByDescending(Cost).ThenBy(s => s.Id, StringComparer.Ordinal))
        {
            int least = Array.IndexOf(load, load.Min()); // the first of equals: deterministic
            load[least] += Cost(spec);
            if (least == Index) mine.Add(spec.Id);
        }
        return specs.Where(s => mine.Contains(s.Id)).ToList();
    }

    /// <summary>Estimated cost of a spec: depth × width² × training steps (the sample's 10,000 images when none are drawn).</summary>
    public static double Cost(ExperimentSpec spec) =>
        (double)spec.Depth * spec.Width * spec.Width * spec.Epochs * Math.Ceiling((spec.Samples ?? 10_000) / (double)spec.BatchSize);

    public override string ToString() => $"{Index}/{Count}";
}
