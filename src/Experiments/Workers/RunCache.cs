using System.Collections.Concurrent;
using Experiments.Records;

namespace Experiments.Workers;

/// <summary>
/// Runs keyed by spec id, so that the many hypotheses that share a run train it once per process. Each is trained
/// in a worker process of <see cref="WorkerPool.Shared"/>: the test runner's own threads never share a process with a training.
/// </summary>
public static class RunCache
{
    static readonly ConcurrentDictionary<string, Lazy<RunRecord>> Runs = new();

    public static RunRecord Get(ExperimentSpec spec) =>
        Runs.GetOrAdd(spec.Id, _ => new Lazy<RunRecord>(() => Train(spec))).Value;

    static RunRecord Train(ExperimentSpec spec)
    {
        var outcome = WorkerPool.Shared.Train(spec);
        return outcome.Record ?? throw new InvalidOperationException($"run {spec.FileName()} ({spec.Id}) failed: {outcome.FailureReason}");
    }
}
