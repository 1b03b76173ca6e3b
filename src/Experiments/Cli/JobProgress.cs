using System.Collections.Concurrent;
using Experiments.Workers;
using Spectre.Console;

namespace Experiments.Cli;

/// <summary>
/// Training a job's requests in worker processes, shown as it goes: progress bars in a terminal, one line per finished run
/// in a log or CI.
/// </summary>
public static class JobProgress
{
    /// <summary>Trains every request in worker processes, <paramref name="parallel"/> at a time; <paramref name="onOutcome"/> runs as each run ends.</summary>
    public static IReadOnlyList<RunOutcome> Train(IReadOnlyList<TrainRequest> requests, int parallel, CancellationToken cancel, Action<RunOutcome> onOutcome)
    {
        var specs = requests.Select(r => r.Spec).ToList();
        using var pool = new WorkerPool(Math.Min(parallel, specs.Count));
        using var training = StopSignals.WhileTraining(); // a signal now stops the runs after their step, keeping them
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            Job.WidenForLogs(120);
            // Logs and CI: one line per finished run instead of redrawn progress bars.
            return pool.TrainAll(requests, onProgress: null, (i, outcome) =>
            {
                onOutcome(outcome);
                Console.WriteLine(outcome.Record is not { } r ? $"  failed: {specs[i].Label}: {outcome.FailureReason}"
                    : r.Interrupted ? $"  interrupted: {specs[i].Label} at epoch {r.Final.Epoch} of {specs[i].Epochs}; its record is incomplete"
                    : r.Divergence is { } d ? $"  diverged: {specs[i].Label} at epoch {d.Epoch}, step {d.Step}: {d.Reason} (recorded, complete)"
                    : $"  done: {specs[i].Label}, loss {r.Final.TrainLoss:0.000}, test accuracy {r.Final.TestAccuracy:0.000}");
            }, cancel);
        }
        IReadOnlyList<RunOutcome> outcomes = [];
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                // One unit per epoch (epoch 0, the measurement at initialisation, is one too); steps move it within an epoch.
                var tasks = specs.Select(s => context.AddTask(Markup.Escape(s.Label), autoStart: false, maxValue: s.Epochs + 1)).ToList();
                var started = new ConcurrentDictionary<int, bool>();
                var lastEpoch = new ConcurrentDictionary<int, string>();
                outcomes = pool.TrainAll(requests, (i, message) =>
                {
                    if (started.TryAdd(i, true)) tasks[i].StartTask();
                    switch (message)
                    {
                        case StepDone step:
                            tasks[i].Value = step.Epoch + (double)step.Done / step.Batches;
                            tasks[i].Description = Markup.Escape($"{specs[i].Label}  epoch {step.Epoch}/{specs[i].Epochs} step {step.Done}/{step.Batches}" +
                                                                 lastEpoch.GetValueOrDefault(i, ""));
                            break;
                        case EpochDone epoch:
                            tasks[i].Value = epoch.Epoch + 1;
                            lastEpoch[i] = $"  loss {epoch.TrainLoss:0.000}  test acc {epoch.TestAccuracy:0.000}";
                            tasks[i].Description = Markup.Escape($"{specs[i].Label}  epoch {epoch.Epoch}/{specs[i].Epochs}{lastEpoch[i]}");
                            break;
                    }
                }, (i, outcome) =>
                {
                    onOutcome(outcome);
                    if (outcome.Failed) tasks[i].Description = Markup.Escape($"{specs[i].Label}  failed");
                    else if (outcome.Record!.Interrupted) tasks[i].Description = Markup.Escape($"{specs[i].Label}  interrupted");
                    tasks[i].StopTask();
                }, cancel);
            });
        return outcomes;
    }
}
