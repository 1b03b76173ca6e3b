using Experiments.Models;
using Experiments.Plotting;
using Experiments.Records;
using Experiments.Reporting;
using Experiments.Workers;
using Spectre.Console;

namespace Experiments.Cli;

/// <summary>
/// The main job: trains a grid of specs (<see cref="Job"/>) and writes into artifacts/runs/&lt;run id&gt; each record as
/// soon as its run ends, then the text tables, CSVs, figures and report.md. A run that fails is named with its reason and
/// the others are still written; a figure that cannot be drawn is skipped with a warning. With --tensorboard, each worker
/// also writes its run's event files into tensorboard/&lt;configuration&gt;.
/// </summary>
public static class MainJob
{
    public static int Execute(IReadOnlyList<ExperimentSpec> specs, string output, int parallel, bool tensorBoard, CancellationToken cancel) =>
        Job.InFolder(specs, output, parallel, cancel,
            runId => $"[bold]Training {specs.Count} configuration(s)[/] {Markup.Escape(Settings(specs))}, run {runId}",
            // Each worker writes its run's TensorBoard event files into the partial folder, so they are committed with it.
            folder => specs.Select(s => new TrainRequest(s, tensorBoard ? folder.PathOf(JobFiles.TensorBoard(s)) : null)).ToList(),
            (folder, outcome) =>
            {
                var records = outcome.Records;
                foreach (var record in records) folder.WriteAtomically(JobFiles.Table(record.Spec), LayerTable.Format(record));
                folder.WriteAtomically(JobFiles.LayersCsv, TidyCsv.Layers(records));
                folder.WriteAtomically(JobFiles.EpochsCsv, TidyCsv.Epochs(records));
                var (figures, figureWarnings) = FigureSet.WriteAll(records, folder.WorkingPath);
                folder.WriteAtomically(JobFiles.Report, ReportWriter.Write(folder.RunId, records, figures, ReportWriter.VerdictsIn(output),
                    [.. outcome.Problems, .. figureWarnings], planned: specs.Count));
                var (final, pointerWarning) = folder.Commit();

                ShowSummary(records);
                foreach (var record in records.Where(r => r.Diverged))
                    Job.Warn($"{record.Spec.Label} diverged at epoch {record.Divergence!.Epoch}, step {record.Divergence.Step}: {record.Divergence.Reason} (recorded)");
                foreach (string warning in outcome.NotStarted.Concat(outcome.Warnings).Concat(figureWarnings).Append(pointerWarning).OfType<string>())
                    Job.Warn(warning);
                AnsiConsole.MarkupLine($"Wrote {records.Count} records with text tables, layers.csv, epochs.csv, {figures.Count} figures and report.md to [link]{Markup.Escape(final)}[/]");
                return outcome.Conclude();
            });

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

    static void ShowSummary(IReadOnlyList<RunRecord> records)
    {
        var caption = SummaryRow.Caption + (records.Any(r => r.Spec.Model.IsRecurrent()) ? " " + SummaryRow.RecurrentCaption : "");
        var table = new Table().Border(TableBorder.Rounded).Caption(Markup.Escape(caption));
        foreach (string header in SummaryRow.Headers) table.AddColumn(new TableColumn(Markup.Escape(header)).RightAligned());
        table.Columns[0].LeftAligned();
        foreach (var record in records) table.AddRow(SummaryRow.From(record).Cells().Select(Markup.Escape).ToArray());
        AnsiConsole.Write(table);
    }
}
