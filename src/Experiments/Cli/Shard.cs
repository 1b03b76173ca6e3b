using System.Globalization;
using Experiments.Records;

namespace Experiments.Cli;

/// <summary>
/// One of <see cref="Count"/> deterministic parts of a sweep, for job arrays: every spec lands in exactly one shard, and
/// shards get about equal work (estimated cost depth × width² × steps, largest first to the least loaded shard).
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary>
    /// The shard to train: <c>--shard i/n</c> (0 ≤ i &lt; n) if given; otherwise, inside a job array, index i from the array's
    /// variable (Slurm: SLURM_ARRAY_TASK_ID; a Kubernetes Indexed Job: JOB_COMPLETION_INDEX) of the count n from
    /// <c>--shards n</c>; otherwise null: the whole sweep. The count never comes from the array's size: a stepped array
    /// (<c>--array=0-6:2</c>), a subset or one re-submitted index must train the shards the full array would.
    /// </summary>
    public static Shard? From(string? option, int? shards, Func<string, string?> environment)
    {
        if (shards is < 1) throw new SpecException($"--shards {shards}: expected the number of shards, at least 1");
        if (option != null)
        {
            var parts = option.Split('/');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || i >= n)
                throw new SpecException($"--shard {option}: expected i/n with 0 ≤ i < n, e.g. 0/3 (shards count from 0, as job arrays do)");
            if (shards is { } count && count != n) throw new SpecException($"--shard {option} and --shards {count}: expected one number of shards");
            return new Shard(i, n);
        }
        var (name, value) = environment("SLURM_ARRAY_TASK_ID") is { } slurm ? ("SLURM_ARRAY_TASK_ID", slurm)
            : environment("JOB_COMPLETION_INDEX") is { } kubernetes ? ("JOB_COMPLETION_INDEX", kubernetes) : (null, null);
        if (name is null)
            return shards is { } alone
                ? throw new SpecException($"--shards {alone}: no shard index; expected a job array's task (SLURM_ARRAY_TASK_ID or " +
                                          $"JOB_COMPLETION_INDEX set) or --shard i/{alone}")
                : null;
        if (shards is not { } total)
            throw new SpecException($"{name}={value} is set but not the number of shards: expected --shards n, the same in every task " +
                                    "(the array's size is not used: a stepped array or a re-submitted index would change it)");
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            throw new SpecException($"{name}={value}: expected a whole number");
        if (index >= total) throw new SpecException($"{name}={value}: expected an index from 0 to {total - 1} (--shards {total}); array indices are shard numbers");
        return new Shard(index, total);
    }

    /// <summary>This shard's specs, in their sweep order. Each spec, largest first, goes to the least loaded shard (the
    /// lowest index of equals); only the shards that can receive one are kept, so a count of 10⁸ costs no more than 3.</summary>
    public IReadOnlyList<ExperimentSpec> Select(IReadOnlyList<ExperimentSpec> specs)
    {
        if (Index >= specs.Count) return []; // specs go to the empty shards in index order first: this one gets none
        var least = new PriorityQueue<int, (double Load, int Index)>();
        for (int shard = 0; shard < Math.Min(Count, specs.Count); shard++) least.Enqueue(shard, (0, shard));
        var mine = new HashSet<string>();
        foreach (var spec in specs.OrderByDescending(Cost).ThenBy(s => s.Id, StringComparer.Ordinal))
        {
            least.TryDequeue(out int shard, out var load);
            least.Enqueue(shard, (load.Load + Cost(spec), shard));
            if (shard == Index) mine.Add(spec.Id);
        }
        return specs.Where(s => mine.Contains(s.Id)).ToList();
    }

    /// <summary>Estimated cost of a spec: depth × width² × training steps (the sample's 10,000 images when none are drawn).</summary>
    public static double Cost(ExperimentSpec spec) =>
        (double)spec.Depth * spec.Width * spec.Width * spec.Epochs * Math.Ceiling((spec.Samples ?? 10_000) / (double)spec.BatchSize);

    public override string ToString() => $"{Index}/{Count}";
}
