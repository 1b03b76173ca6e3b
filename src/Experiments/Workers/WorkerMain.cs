using Experiments.Records;
using Experiments.Training;

namespace Experiments.Workers;

/// <summary>
/// The worker side: reads specs from standard input and trains them one after another on this (the main) thread,
/// writing a run's TensorBoard event files itself when asked to, and telling its parent the progress within an epoch a few times a second.
/// SIGINT, SIGTERM and SIGHUP stop the current run after its step; its record so far is sent, then the worker exits.
/// </summary>
public static class WorkerMain
{
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getppid")]
    static extern int ParentId();

    /// <summary>
    /// A worker dies with the job that started it, even one killed outright (SIGKILL), which closes no pipe a busy worker
    /// would notice: once a second a thread asks whether the parent is still the one it started with (an orphan is
    /// adopted by another process). Not prctl's parent-death signal: that follows the thread that started the worker,
    /// and a pool thread of the job may end while the job goes on.
    /// </summary>
    static void ExitWithParent()
    {
        if (OperatingSystem.IsWindows()) return;
        int parent = ParentId();
        new Thread(() =>
        {
            while (ParentId() == parent) Thread.Sleep(1000);
            Environment.Exit(1);
        }) { IsBackground = true, Name = "parent watch" }.Start();
    }

    public static int Run()
    {
        ExitWithParent();
        using var cancel = new CancellationTokenSource();
        using var signals = new StopSignals(cancel);
        Console.Out.WriteLine(WorkerProtocol.Ready);
        // A spec that arrives after a signal still gets a record (epoch 0 always completes); then the worker exits.
        while (Console.In.ReadLine() is { } line)
        {
            TrainRequest request;
            try { request = WorkerProtocol.ParseRequest(line); }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or NotSupportedException)
            {
                // Only the job writes here; anything else is a person or a program that mistook the worker for the CLI.
                Console.Error.WriteLine($"error: worker: expected a request line from its job (a spec as JSON), not {Shorten(line)} ({FirstLine(e.Message)})");
                return 2;
            }
            var spec = request.Spec;
            RunRecord record;
            string? tensorBoardFailure = null;
            try
            {
                using var log = request.TensorBoard is { } folder ? new TensorBoardLog(folder) : null;
                record = Trainer.Run(spec, epoch =>
                {
                    log?.OnEpoch(epoch);
                    Console.Out.WriteLine(WorkerProtocol.EpochLine(epoch));
                }, cancel.Token, new WorkerObserver(log));
                log?.Dispose(); // flushes the event files; a write that failed is said beside the record
                tensorBoardFailure = log?.Failure;
            }
            catch (Exception e) when (e is not IOException) // IOException: the parent is gone, nobody to tell
            {
                Console.Out.WriteLine(WorkerProtocol.FailedLine(TorchLoadFailure.Describe(e) ?? $"{e.GetType().Name}: {FirstLine(e.Message)}"));
                return 1; // a fresh process for the next run: nothing of a failed one carries over
            }
            if (tensorBoardFailure is not null) Console.Out.WriteLine(WorkerProtocol.WarningLine(tensorBoardFailure));
            Console.Out.WriteLine(WorkerProtocol.RecordLine(record));
            if (cancel.IsCancellationRequested) break;
        }
        return 0;
    }

    static string Shorten(string line) => line.Length <= 40 ? $"\"{line}\"" : $"\"{line[..40]}...\"";

    static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    /// <summary>Tells the parent the progress within an epoch, a line every <see cref="WorkerProtocol.StepLineInterval"/> ms at
    /// most, and hands each step to the run's TensorBoard log, if any.</summary>
    sealed class WorkerObserver(TensorBoardLog? log) : IStepObserver
    {
        readonly System.Diagnostics.Stopwatch sinceLine = System.Diagnostics.Stopwatch.StartNew();

        public void AfterBackward(StepView step)
        {
            log?.AfterBackward(step);
            if (sinceLine.ElapsedMilliseconds < WorkerProtocol.StepLineInterval) return;
            Console.Out.WriteLine(WorkerProtocol.StepLine(step.Epoch, step.Batch + 1, step.Batches));
            sinceLine.Restart();
        }

        public void AfterUpdate(StepView step, Diagnostics.StepMeasurement updates) => log?.AfterUpdate(step, updates);
    }
}
