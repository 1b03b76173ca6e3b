using System.Collections.Concurrent;
using Experiments.Records;

namespace Experiments.Workers;

/// <summary>
/// Trains specs in worker processes, at most <see cref="Size"/> at a time, reusing idle workers. One process per
/// training: a training never shares its process with another thread that allocates (TorchSharp frees temporary
/// Scalars in finalizers, which such a thread's collections run), and a run that crashes takes only itself down.
/// </summary>
public sealed class WorkerPool(int size) : IDisposable
{
    readonly SemaphoreSlim slots = new(size, size);
    readonly ConcurrentBag<WorkerProcess> idle = new();
    readonly ConcurrentDictionary<WorkerProcess, byte> busy = new();

    public int Size { get; } = size;

    /// <summary>Trains one spec in a worker, waiting for a free one.</summary>
    public RunOutcome Train(ExperimentSpec spec, Action<WorkerEvent>? onProgress = null, CancellationToken cancel = default) =>
        Train(new TrainRequest(spec), onProgress, cancel);

    /// <summary>Trains one request in a worker, waiting for a free one.</summary>
    public RunOutcome Train(TrainRequest request, Action<WorkerEvent>? onProgress = null, CancellationToken cancel = default)
    {
        slots.Wait(cancel);
        WorkerProcess? worker = null;
        while (worker is null && idle.TryTake(out var candidate))
            if (candidate.Alive) worker = candidate; else candidate.Dispose();
        worker ??= WorkerProcess.Start();
        busy[worker] = 0;
        try
        {
            using var interrupt = cancel.Register(worker.Interrupt);
            return worker.Train(request, onProgress);
        }
        finally
        {
            busy.TryRemove(worker, out _);
            if (worker.Alive) idle.Add(worker); else worker.Dispose();
            slots.Release();
        }
    }

    /// <summary>
    /// Trains every request, <see cref="Size"/> at a time, and hands each outcome to <paramref name="onDone"/> as soon as
    /// it is known. Cancellation interrupts the runs in progress (their records so far come back) and starts no more.
    /// </summary>
    public IReadOnlyList<RunOutcome> TrainAll(IReadOnlyList<TrainRequest> requests, Action<int, WorkerEvent>? onProgress,
        Action<int, RunOutcome>? onDone, CancellationToken cancel)
    {
        var outcomes = new RunOutcome?[requests.Count];
        Parallel.For(0, requests.Count, new ParallelOptions { MaxDegreeOfParallelism = Size }, i =>
        {
            if (cancel.IsCancellationRequested) return;
            RunOutcome outcome;
            try { outcome = Train(requests[i], onProgress is null ? null : message => onProgress(i, message), cancel); }
            catch (OperationCanceledException) { return; }
            outcomes[i] = outcome;
            onDone?.Invoke(i, outcome);
        });
        return outcomes.OfType<RunOutcome>().ToList();
    }

    public void Dispose()
    {
        while (idle.TryTake(out var worker)) worker.Dispose();
        foreach (var worker in busy.Keys) worker.Dispose();
    }
}
