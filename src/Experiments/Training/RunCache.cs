using System.Collections.Concurrent;

namespace Experiments.Training;

/// <summary>Runs keyed by spec id, so that the many hypotheses that share a run train it once per process.</summary>
public static class RunCache
{
    static readonly ConcurrentDictionary<string, Lazy<RunRecord>> Runs = new();

    public static RunRecord Get(ExperimentSpec spec) =>
        Runs.GetOrAdd(spec.Id, _ => new Lazy<RunRecord>(() => Trainer.Run(spec))).Value;
}
