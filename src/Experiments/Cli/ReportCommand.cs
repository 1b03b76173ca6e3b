using System.CommandLine;
using Experiments.Plotting;
using Experiments.Records;
using Experiments.Reporting;
using ScottPlot;

namespace Experiments.Cli;

/// <summary>
/// `report &lt;folders...&gt;`: one report over the records of several results folders (a sweep's shards, other machines'
/// downloads) or run folders: the summary table, the figures over seeds, tidy CSVs with every spec field, the verdicts,
/// and a warning where records come from environments that do not agree bit for bit. Trains nothing.
/// </summary>
public static class ReportCommand
{
    public static Command Create(Func<ParseResult, Func<CancellationToken, int>, int> guarded)
    {
        var folders = new Argument<string[]>("folders") { Description = "folders of run records (searched with their subfolders)", Arity = ArgumentArity.OneOrMore };
        var output = JobOptions.Output("the report goes to <out>/runs/<run id>");
        var expect = new Option<string?>("--expect") { Description = "the sweep file the records should cover: name its missing and incomplete specs; exit 3 if any" };
        var command = new Command("report", "Merge the run records of several folders (shards, machines) into one report.") { folders, output, expect };
        command.SetAction(parsed => guarded(parsed, _ =>
        {
            var expectedSpecs = parsed.GetValue(expect) is { } sweepFile ? SweepCommand.Specs(sweepFile) : null; // a bad file fails first
            var records = ResultStore.LoadAll(parsed.GetValue(folders)!, skipped => Console.Error.WriteLine($"warning: {skipped}")) // one unwrapped line each
                .OrderBy(r => r.Spec.FileName(), StringComparer.Ordinal).ThenBy(r => r.SpecId, StringComparer.Ordinal).ToList();
            if (records.Count == 0)
                throw new SpecException($"{string.Join(" ", parsed.GetValue(folders)!)}: no run records found; expected folders with <spec id>.json records");
            var expected = expectedSpecs is null ? null : Completeness.Of(parsed.GetValue(expect)!, expectedSpecs, records);
            Console.WriteLine(Write(records, parsed.GetValue(output)!, expected));
            return expected?.Tell() ?? 0;
        }));
        return command;
    }

    /// <summary>Writes the merged report into a new run folder; returns a line saying where.</summary>
    public static string Write(IReadOnlyList<RunRecord> records, string output, Completeness? expected = null)
    {
        foreach (string note in RunFolder.RecoverAbandoned(output)) Job.Warn(note);
        using var folder = RunFolder.Create(output, Job.RunId(records.Select(r => r.Spec).ToList()));
        folder.WriteAtomically(JobFiles.LayersCsv, TidyCsv.Layers(records));
        folder.WriteAtomically(JobFiles.EpochsCsv, TidyCsv.Epochs(records));
        var figures = new List<string>();
        var problems = new List<string>();
        foreach (var (file, draw) in new (string, Func<Plot>)[]
                 {
                     (SeedFigures.Ratios, () => SeedFigures.DeltaRatio(records)), (SeedFigures.Accuracy, () => SeedFigures.TestAccuracy(records)),
                 })
        {
            if (FigureSet.TrySave(folder.WorkingPath, file, path => draw().SavePng(path, 2 * FigureStyle.Width, FigureStyle.Height)) is { } skipped)
                problems.Add(skipped);
            else figures.Add(file);
        }
        var environments = records.GroupBy(r => r.Environment with { Threads = 0 }).ToList();
        if (environments.Count > 1)
            problems.Add($"the records come from {environments.Count} environments, so they are not bit-comparable across them: " +
                         string.Join("; ", environments.Select(g => $"{g.Count()} from {g.Key.Cpu}, TorchSharp {g.Key.TorchSharp}, " +
                                                                    $"MKL_CBWR={g.Key.MklCbwr ?? "(unset)"}, ATEN_CPU_CAPABILITY={g.Key.AtenCpuCapability ?? "(unset)"}")));
        folder.WriteAtomically(JobFiles.Report, ReportWriter.Write(folder.RunId, records, figures, ReportWriter.VerdictsIn(output), problems, completeness: expected?.Lines()));
        var (final, warning) = folder.Commit();
        if (warning != null) Job.Warn(warning);
        return $"report over {records.Count} records ({SeedFigures.Configurations(records).Count()} configurations) written to {final}";
    }
}
