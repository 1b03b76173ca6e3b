using System.Security.Cryptography;
using System.Text;
using Experiments.Records;
using Experiments.Reporting;
using Experiments.Workers;
using Spectre.Console;

namespace Experiments.Cli;

/// <summary>
/// A job's life, written once for the main job, `phase` and `sweep`: train the specs in worker processes with progress,
/// save each finished record as its run ends (records first, before anything is drawn), then let the command write what
/// it makes of them. Failures, records that could not be saved, runs never started, interruption and the exit code are
/// decided here; a command supplies its specs, where a record goes and what it writes at the end.
/// </summary>
public static class Job
{
    public const int Interrupted = 130;
    /// <summary>Exit code when at least one run failed (a crash or an error in its worker); the others are written.</summary>
    public const int RunsFailed = 3;
    /// <summary>Exit code when the job could not write all it made (a full disk, a late error): what it wrote is kept.</summary>
    public const int WriteFailed = 1;

    /// <summary>
    /// Trains the requests; <paramref name="save"/> writes each finished record as it arrives (an <see cref="IOException"/>
    /// or <see cref="UnauthorizedAccessException"/> there is named in <see cref="JobOutcome.Unsaved"/> and the record left
    /// out of <see cref="JobOutcome.Records"/>); <paramref name="onFailure"/> sees each failed run.
    /// </summary>
    public static JobOutcome Run(IReadOnlyList<TrainRequest> requests, int parallel, CancellationToken cancel, Action<RunRecord> save,
                                 Action<RunOutcome>? onFailure = null)
    {
        var unsaved = new List<string>();
        var saved = new HashSet<ExperimentSpec>();
        var runs = JobProgress.Train(requests, parallel, cancel, outcome =>
        {
            if (outcome.Record is not { } record)
            {
                onFailure?.Invoke(outcome);
                return;
            }
            try
            {
                save(record);
                lock (saved) saved.Add(record.Spec);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                lock (saved) unsaved.Add($"could not write the record of {record.Spec.FileName()}: {e.Message}");
            }
        });
        return new JobOutcome(requests.Select(r => r.Spec).ToList(), runs,
            runs.Where(o => o.Record is not null && saved.Contains(o.Spec)).Select(o => o.Record!).ToList(), unsaved, cancel.IsCancellationRequested);
    }

    /// <summary>
    /// A job that writes a run folder (the main job, `phase`): checks, a locked partial folder, training with each record
    /// saved into it, then <paramref name="finish"/> writes the rest and commits. With no record there is nothing to
    /// write; a failure in <paramref name="finish"/> keeps the records (<see cref="AfterRecords"/>).
    /// </summary>
    public static int InFolder(IReadOnlyList<ExperimentSpec> specs, string output, int parallel, CancellationToken cancel,
        Func<string, string> headline, Func<RunFolder, IReadOnlyList<TrainRequest>> requests, Func<RunFolder, JobOutcome, int> finish)
    {
        Preflight.Check(specs, parallel, output); // bad input fails before anything is written
        foreach (string note in RunFolder.RecoverAbandoned(output)) Warn(note);
        string runId = RunId(specs);
        using var folder = RunFolder.Create(output, runId);
        AnsiConsole.MarkupLine(headline(runId));
        var outcome = Run(requests(folder), parallel, cancel,
            record => folder.WriteAtomically(JobFiles.Record(record.Spec), RecordJson.Serialize(record)),
            failed => // a failed run leaves no half-written event files behind
            {
                string events = folder.PathOf(JobFiles.TensorBoard(failed.Spec));
                if (Directory.Exists(events)) Directory.Delete(events, recursive: true);
            });
        if (outcome.Records.Count == 0)
        {
            outcome.SayErrors();
            Console.Error.WriteLine("error: no run finished; nothing was written");
            return outcome.ExitCode;
        }
        return AfterRecords(folder, () => finish(folder, outcome));
    }

    /// <summary>
    /// Writes what a job makes after its records (CSVs, figures, report, the move into place). If that fails (a full
    /// disk, a value no figure or analysis can take), the finished records are kept, in <c>{run id}-incomplete</c>, and
    /// the job says so in one line and exits <see cref="WriteFailed"/>: a late error never costs the runs.
    /// </summary>
    /// <param name="elsewhere">Where else the records are, said after where they are kept (the phase diagram's results folder).</param>
    internal static int AfterRecords(RunFolder folder, Func<int> write, string? elsewhere = null)
    {
        try { return write(); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            string kept = folder.KeepIncomplete();
            int records = Directory.Exists(kept) ? Directory.EnumerateFiles(kept, "*.json").Count() : 0;
            var where = new[] { records > 0 || elsewhere is null ? $"the {records} finished record(s) are kept in {kept}" : null, elsewhere };
            Console.Error.WriteLine($"error: {e.Message.Split('\n')[0].Trim()}; {string.Join(", and ", where.OfType<string>())}");
            return WriteFailed;
        }
    }

    /// <summary>A run's id: the UTC time and the first hex digits of a hash of its specs' ids.</summary>
    internal static string RunId(IReadOnlyList<ExperimentSpec> specs) =>
        $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(",", specs.Select(s => s.Id)))))[..6]}";

    /// <summary>Where output goes to a log or a pipe, tables get <paramref name="columns"/> columns, not the 80 a terminal is assumed to have.</summary>
    public static void WidenForLogs(int columns)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, columns);
    }

    internal static void Warn(string message) => AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");
}

/// <summary>What a job's training came to: every run's outcome, the records saved, and what went wrong.</summary>
public sealed record JobOutcome(IReadOnlyList<ExperimentSpec> Planned, IReadOnlyList<RunOutcome> Runs, IReadOnlyList<RunRecord> Records,
                                IReadOnlyList<string> Unsaved, bool Interrupted)
{
    public IReadOnlyList<string> Failures => Runs.Where(o => o.Failed).Select(o => $"run {o.Spec.FileName()} failed: {o.FailureReason}").ToList();

    public IReadOnlyList<string> NotStarted =>
        Planned.Where(s => Runs.All(o => o.Spec != s)).Select(s => $"run {s.FileName()} not started: the job was interrupted").ToList();

    /// <summary>What workers said beside their records (event files they could not write).</summary>
    public IReadOnlyList<string> Warnings => Runs.SelectMany(o => o.Warnings.Select(w => $"{o.Spec.FileName()}: {w}")).ToList();

    /// <summary>Every line a report lists as a problem of the job.</summary>
    public IReadOnlyList<string> Problems => [.. Failures, .. Unsaved, .. NotStarted, .. Warnings];

    public int ExitCode => Interrupted ? Job.Interrupted : Unsaved.Count > 0 ? Job.WriteFailed : Failures.Count > 0 ? Job.RunsFailed : 0;

    /// <summary>One error line for each failed run and each record not saved.</summary>
    public void SayErrors()
    {
        foreach (string problem in Failures.Concat(Unsaved)) Console.Error.WriteLine($"error: {problem}");
    }

    /// <summary>The job's last lines (its errors, and if interrupted what to do next) and its exit code.</summary>
    public int Conclude(string whenInterrupted = "the records so far are kept, marked incomplete.")
    {
        SayErrors();
        if (Interrupted) AnsiConsole.MarkupLine($"[yellow]interrupted:[/] {Markup.Escape(whenInterrupted)}");
        return ExitCode;
    }
}
