using System.Collections.Concurrent;
using Experiments.Records;
using Experiments.Workers;

namespace Hypotheses.Support;

/// <summary>
/// Runs keyed by spec id, so that the many tests that share a run train it once per test process. Each is trained in a
/// worker process of one pool (a worker a core): the test runner's own threads never share a process with a training.
/// </summary>
public static class RunCache
{
    static readonly ConcurrentDictionary<string, Lazy<RunRecord>> Runs = new();
    static readonly Lazy<WorkerPool> Pool = new(() =>
    {
        var pool = new WorkerPool(Environment.ProcessorCount);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => pool.Dispose();
        return pool;
    });

    public static RunRecord Get(ExperimentSpec spec) =>
        Runs.GetOrAdd(spec.Id, _ => new Lazy<RunRecord>(() => Train(spec))).Value;

    static RunRecord Train(ExperimentSpec spec)
    {
        var outcome = Pool.Value.Train(spec);
        return outcome.Record ?? throw new InvalidOperationException($"run {spec.FileName()} ({spec.Id}) failed: {outcome.FailureReason}");
    }
}
