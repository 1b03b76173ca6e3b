using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Experiments.Plotting;
using Experiments.Reporting;
using Experiments.Training;
using Spectre.Console;

namespace Experiments.Cli;

/// <summary>
/// Trains a grid of specs (in parallel, each run with its own generator and one libtorch thread), shows
/// progress, and writes records, CSVs, figures and report.md into artifacts/runs/&lt;run id&gt;.
/// </summary>
public static class RunJob
{
    public const int Interrupted = 130;

    public static int Execute(IReadOnlyList<ExperimentSpec> specs, string output, int parallel, CancellationToken cancel)
    {
        Preflight.Check(specs, parallel, output); // bad input fails before anything is written
        string runId = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(",", specs.Select(s => s.Id)))))[..6]}";
        using var folder = RunFolder.Create(output, runId);

        AnsiConsole.MarkupLine($"[bold]Training {specs.Count} configuration(s)[/] on {Markup.Escape(specs[0].Data)}, {specs[0].Epochs} epochs, seed {specs[0].Seed}, run {runId}");
        var records = Train(specs, parallel, cancel);
        bool interrupted = cancel.IsCancellationRequested;

        var files = new List<string>();
        foreach (var record in records)
        {
            string file = record.Spec.FileName() + ".json";
            File.WriteAllText(folder.PathOf(file), RecordJson.Serialize(record));
            File.WriteAllText(folder.PathOf(record.Spec.FileName() + "-table.txt"), LayerTable.Format(record));
            files.Add(file);
        }
        File.WriteAllText(folder.PathOf("layers.csv"), TidyCsv.Layers(records));
        File.WriteAllText(folder.PathOf("epochs.csv"), TidyCsv.Epochs(records));
        var figures = FigureSet.WriteAll(records, folder.WorkingPath);
        string verdictsFile = Path.Combine(output, "verdicts", "verdicts.md");
        string? verdicts = File.Exists(verdictsFile) ? File.ReadAllText(verdictsFile) : null;
        File.WriteAllText(folder.PathOf("report.md"), ReportWriter.Write(runId, records, figures, verdicts));
        string final = folder.Commit();

        ShowSummary(records);
        foreach (var record in records.Where(r => r.Diverged))
            AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(record.Spec.Label)} diverged at epoch {record.Divergence!.Epoch}, step {record.Divergence.Step}: {Markup.Escape(record.Divergence.Reason)} (recorded)");
        AnsiConsole.MarkupLine($"Wrote {files.Count} records with text tables, layers.csv, epochs.csv, {figures.Count} figures and report.md to [link]{Markup.Escape(final)}[/]");
        if (!interrupted) return 0;
        AnsiConsole.MarkupLine("[yellow]interrupted:[/] the records so far are kept, marked incomplete.");
        return Interrupted;
    }

    static List<RunRecord> Train(IReadOnlyList<ExperimentSpec> specs, int parallel, CancellationToken cancel)
    {
        try { return TrainInParallel(specs, parallel, cancel); }
        catch (AggregateException e) // a failed run: report its own exception, not the wrapper
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }

    static List<RunRecord> TrainInParallel(IReadOnlyList<ExperimentSpec> specs, int parallel, CancellationToken cancel)
    {
        var records = new ConcurrentDictionary<int, RunRecord>();
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 120); // logs are not 80 columns wide
            // Logs and CI: one line per finished run instead of redrawn progress bars.
            Parallel.For(0, specs.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i =>
            {
                records[i] = Trainer.Run(specs[i], cancel: cancel);
                Console.WriteLine($"  done: {specs[i].Label}, loss {records[i].Final.TrainLoss:0.000}, test accuracy {records[i].Final.TestAccuracy:0.000}");
            });
            return Enumerable.Range(0, specs.Count).Select(i => records[i]).ToList();
        }
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var tasks = specs.Select(s => context.AddTask(Markup.Escape(s.Label), autoStart: false, maxValue: s.Epochs + 1)).ToList();
                Parallel.For(0, specs.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i =>
                {
                    tasks[i].StartTask();
                    records[i] = Trainer.Run(specs[i], epoch =>
                    {
                        tasks[i].Increment(1);
                        tasks[i].Description = Markup.Escape($"{specs[i].Label}  epoch {epoch.Epoch}/{specs[i].Epochs}  loss {epoch.TrainLoss:0.000}  test acc {epoch.TestAccuracy:0.000}");
                    }, cancel);
                    tasks[i].StopTask();
                });
            });
        return Enumerable.Range(0, specs.Count).Select(i => records[i]).ToList();
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
