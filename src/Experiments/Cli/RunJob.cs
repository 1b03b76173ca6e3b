using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Experiments.Plotting;
using Experiments.Records;
using Experiments.Reporting;
using Experiments.Workers;
using Spectre.Console;

namespace Experiments.Cli;

/// <summary>
/// Trains a grid of specs, each in a worker process, shows progress, and writes into artifacts/runs/&lt;run id&gt;:
/// each record (and its text table) as soon as its run ends, then CSVs, figures and report.md. A run that fails is
/// named with its reason and the others are still written; a figure that cannot be drawn is skipped with a warning.
/// With --tensorboard, each worker also writes its run's event files into tensorboard/&lt;configuration&gt;.
/// </summary>
public static class RunJob
{
    public const int Interrupted = 130;
    /// <summary>Exit code when at least one run failed (a crash or an error in its worker); the others are written.</summary>
    public const int RunsFailed = 3;
    /// <summary>Exit code when the job could not write all it made (a full disk, a late error): what it wrote is kept.</summary>
    public const int WriteFailed = 1;

    public static int Execute(IReadOnlyList<ExperimentSpec> specs, string output, int parallel, bool tensorBoard, CancellationToken cancel)
    {
        Preflight.Check(specs, parallel, output); // bad input fails before anything is written
        foreach (string note in RunFolder.RecoverAbandoned(output)) Warn(note);
        string runId = RunId(specs);
        using var folder = RunFolder.Create(output, runId);

        AnsiConsole.MarkupLine($"[bold]Training {specs.Count} configuration(s)[/] {Markup.Escape(Settings(specs))}, run {runId}");
        // Each worker writes its run's TensorBoard event files into the partial folder, so they are committed with it.
        var requests = specs.Select(s => new TrainRequest(s, tensorBoard ? folder.PathOf(JobFiles.TensorBoard(s)) : null)).ToList();
        var writer = new RecordWriter(folder, withTables: true);
        var outcomes = Train(requests, parallel, cancel, outcome =>
        {
            if (outcome.Record is { } record)
            {
                writer.Write(record);
                return;
            }
            // a failed run leaves no half-written event files behind
            string events = folder.PathOf(JobFiles.TensorBoard(outcome.Spec));
            if (Directory.Exists(events)) Directory.Delete(events, recursive: true);
        });
        bool interrupted = cancel.IsCancellationRequested;
        var records = writer.Written(outcomes);
        var unsaved = writer.Unsaved;
        var failures = outcomes.Where(o => o.Failed).Select(o => $"run {o.Spec.FileName()} failed: {o.FailureReason}").ToList();
        var notStarted = specs.Where(s => outcomes.All(o => o.Spec != s)).Select(s => $"run {s.FileName()} not started: the job was interrupted").ToList();
        var warnings = outcomes.SelectMany(o => o.Warnings.Select(w => $"{o.Spec.FileName()}: {w}")).ToList();
        if (records.Count == 0)
        {
            foreach (string failure in failures.Concat(unsaved)) Console.Error.WriteLine($"error: {failure}");
            Console.Error.WriteLine("error: no run finished; nothing was written");
            return interrupted ? Interrupted : unsaved.Count > 0 ? WriteFailed : RunsFailed;
        }

        return AfterRecords(folder, records.Count, () =>
        {
            folder.WriteAtomically(JobFiles.LayersCsv, TidyCsv.Layers(records));
            folder.WriteAtomically(JobFiles.EpochsCsv, TidyCsv.Epochs(records));
            var (figures, figureWarnings) = FigureSet.WriteAll(records, folder.WorkingPath);
            folder.WriteAtomically(JobFiles.Report, ReportWriter.Write(runId, records, figures, Verdicts(output),
                [.. failures, .. unsaved, .. notStarted, .. warnings, .. figureWarnings], planned: specs.Count));
            var (final, pointerWarning) = folder.Commit();

            ShowSummary(records);
            foreach (var record in records.Where(r => r.Diverged))
                Warn($"{record.Spec.Label} diverged at epoch {record.Divergence!.Epoch}, step {record.Divergence.Step}: {record.Divergence.Reason} (recorded)");
            foreach (string warning in notStarted.Concat(warnings).Concat(figureWarnings).Append(pointerWarning).OfType<string>()) Warn(warning);
            AnsiConsole.MarkupLine($"Wrote {records.Count} records with text tables, layers.csv, epochs.csv, {figures.Count} figures and report.md to [link]{Markup.Escape(final)}[/]");
            foreach (string failure in failures.Concat(unsaved)) Console.Error.WriteLine($"error: {failure}");
            if (interrupted)
            {
                AnsiConsole.MarkupLine("[yellow]interrupted:[/] the records so far are kept, marked incomplete.");
                return Interrupted;
            }
            return unsaved.Count > 0 ? WriteFailed : failures.Count > 0 ? RunsFailed : 0;
        });
    }

    /// <summary>
    /// Writes what a job makes after its records (CSVs, figures, report, the move into place). If that fails (a full
    /// disk, a value no figure or analysis can take), the finished records are kept, in <c>{run id}-incomplete</c>, and
    /// the job says so in one line and exits <see cref="WriteFailed"/>: a late error never costs the runs.
    /// </summary>
    internal static int AfterRecords(RunFolder folder, int records, Func<int> write)
    {
        try { return write(); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            string kept = folder.KeepIncomplete();
            Console.Error.WriteLine($"error: {e.Message.Split('\n')[0].Trim()}; the {records} finished record(s) are kept in {kept}");
            return WriteFailed;
        }
    }

    /// <summary>A run's id: the UTC time and the first hex digits of a hash of its specs' ids.</summary>
    internal static string RunId(IReadOnlyList<ExperimentSpec> specs) =>
        $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(",", specs.Select(s => s.Id)))))[..6]}";

    /// <summary>The hypothesis verdicts of the last `dotnet test` that wrote into <paramref name="output"/>, if any.</summary>
    internal static string? Verdicts(string output)
    {
        string file = Path.Combine(output, "verdicts", "verdicts.md");
        return File.Exists(file) ? File.ReadAllText(file) : null;
    }

    /// <summary>Checks the job as <see cref="Execute"/> does, then lists its configurations and the files it would write;
    /// trains nothing and writes nothing.</summary>
    public static int DryRun(IReadOnlyList<ExperimentSpec> specs, int parallel, string output)
    {
        Preflight.Check(specs, parallel, output); // the same checks as the run: where it would exit 2, so does this
        Console.WriteLine($"Dry run: {specs.Count} configuration(s) {Settings(specs)}; nothing is trained or written.");
        int width = specs.Max(s => s.FileName().Length);
        foreach (var spec in specs) Console.WriteLine($"  {spec.FileName().PadRight(width)}  spec {spec.Id}  {spec.Label}");
        Console.WriteLine("Files of the run folder:");
        foreach (string file in JobFiles.Planned(specs)) Console.WriteLine($"  {file}");
        return 0;
    }

    /// <summary>The data, epochs and seeds of a job, each value once: "on sample, 10 epochs, seeds 1, 2, 3".</summary>
    static string Settings(IReadOnlyList<ExperimentSpec> specs)
    {
        string Each<T>(Func<ExperimentSpec, T> field) => string.Join(", ", specs.Select(field).Distinct());
        return $"on {Each(s => s.Data)}, {Each(s => s.Epochs)} epochs, seed{(specs.Select(s => s.Seed).Distinct().Count() > 1 ? "s" : "")} {Each(s => s.Seed)}";
    }

    /// <summary>Where output goes to a log or a pipe, tables get <paramref name="columns"/> columns, not the 80 a terminal is assumed to have.</summary>
    public static void WidenForLogs(int columns)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, columns);
    }

    internal static void Warn(string message) => AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");

    /// <summary>Trains every request in worker processes, <paramref name="parallel"/> at a time; <paramref name="onOutcome"/> runs as each run ends.</summary>
    public static IReadOnlyList<RunOutcome> Train(IReadOnlyList<TrainRequest> requests, int parallel, CancellationToken cancel, Action<RunOutcome> onOutcome)
    {
        var specs = requests.Select(r => r.Spec).ToList();
        using var pool = new WorkerPool(Math.Min(parallel, specs.Count));
        using var training = StopSignals.WhileTraining(); // a signal now stops the runs after their step, keeping them
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            WidenForLogs(120);
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


    static void ShowSummary(IReadOnlyList<RunRecord> records)
    {
        var table = new Table().Border(TableBorder.Rounded).Caption(Markup.Escape(SummaryRow.Caption));
        foreach (string header in SummaryRow.Headers) table.AddColumn(new TableColumn(Markup.Escape(header)).RightAligned());
        table.Columns[0].LeftAligned();
        foreach (var record in records) table.AddRow(SummaryRow.From(record).Cells().Select(Markup.Escape).ToArray());
        AnsiConsole.Write(table);
    }
}
