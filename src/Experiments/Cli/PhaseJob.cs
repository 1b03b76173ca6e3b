using Experiments.Phase;
using Experiments.Plotting;
using Experiments.Records;
using Experiments.Reporting;
using Experiments.Workers;
using Spectre.Console;

namespace Experiments.Cli;

/// <summary>
/// The phase diagram's job: rounds of seeds (<see cref="SeedRounds"/>) trained into a results folder by spec id, as `sweep`
/// trains, then the diagram: a run folder with the records, phase.csv, phase.png and phase.md, moved into place when
/// complete. Running the same command again reuses every finished record, so an interrupted or failed diagram goes on where
/// it stopped. Each round depends only on the records of the rounds before it, so the tasks of a job array (<see cref="Shard"/>)
/// agree on it: each trains its shard of the first round not yet finished, goes on to the next while the other shards have
/// finished theirs, and stops where they have not; submitted again, they go on. A task never writes the diagram; the
/// command without a shard does, training what is left. A run that fails ends the rounds; the diagram of the finished
/// runs is written, marked incomplete, and the command exits 3.
/// </summary>
public static class PhaseJob
{
    /// <summary>The results folder under the output folder: the phase diagram's own, so that a report over a sweep's
    /// `results` never takes in the diagram's runs.</summary>
    public const string ResultsFolder = "phase-results";

    public static int Execute(IReadOnlyList<ExperimentSpec> first, SeedRounds seeds, Shard? shard, string output, int parallel, CancellationToken cancel)
    {
        Preflight.Check(first, parallel, output); // bad input fails before anything is written
        foreach (string note in RunFolder.RecoverAbandoned(output)) Job.Warn(note);
        var store = new ResultStore(Path.Combine(output, ResultsFolder));
        AnsiConsole.MarkupLine($"[bold]Phase diagram[/]: {first.Select(s => s.SigmaW2).Distinct().Count()} σ_w² × {first.Select(s => s.Depth).Distinct().Count()} " +
                               $"depths × {seeds.Step} seed(s)" + (seeds.MaxSeeds > seeds.Step ? $", up to {seeds.MaxSeeds} where the boundary needs them" : "") +
                               $", {first[0].Epochs} epochs on {Markup.Escape(first[0].Data)}" + (shard is null ? "" : $", shard {shard}") +
                               $"; records in {Markup.Escape(store.Folder)}");
        string resume = $"the finished records are kept in {store.Folder}; run the same command again to go on.";
        var planned = new List<ExperimentSpec>();
        IReadOnlyList<RunRecord> finished = [];
        var round = first;
        for (int number = 1; round.Count > 0; number++)
        {
            planned.AddRange(round);
            var todo = (shard?.Select(round) ?? round).Where(s => store.Complete(s) is null).ToList();
            AnsiConsole.MarkupLine($"[bold]Round {number}[/]: {round.Count} run(s) in {round.Select(s => (s.SigmaW2, s.Depth)).Distinct().Count()} cell(s)" +
                                   (number == 1 ? "" : " that a column's boundary still depends on") + $"; {todo.Count} to train" + (shard is null ? "" : " in this shard"));
            if (todo.Count > 0)
            {
                var outcome = Job.Run([.. todo.Select(s => new TrainRequest(s))], parallel, cancel, record => store.Save(record));
                foreach (string warning in outcome.NotStarted.Concat(outcome.Warnings)) Job.Warn(warning);
                if (outcome.Interrupted || outcome.Unsaved.Count > 0) return outcome.Conclude(resume);
                if (outcome.Failures.Count > 0) // no more rounds, but the diagram of what finished, marked incomplete, as the main job does
                {
                    int written = shard is null ? WriteDiagram(Finished(store, planned), planned.Count, output, outcome.Problems, store.Folder) : 0;
                    outcome.SayErrors();
                    Console.WriteLine(resume);
                    return written != 0 ? written : Job.RunsFailed;
                }
            }
            finished = Finished(store, planned); // read once: the check below, the next round and the diagram
            if (planned.Count - finished.Count is > 0 and int others)
            {
                if (shard is null) throw new IOException($"{store.Folder}: {others} record(s) went missing while this job ran; run the same command again");
                Console.WriteLine($"round {number}: {others} run(s) of other shards not finished yet; once they are, run the array again for the next round");
                return 0;
            }
            round = seeds.MaxSeeds == seeds.Step ? [] : seeds.Next(PhaseGrid.FromRecords(finished));
        }
        if (shard is not null)
        {
            Console.WriteLine("every round is finished: run phase with the same options and no shard to write the diagram");
            return 0;
        }
        return WriteDiagram(finished, planned.Count, output, [], store.Folder);
    }

    /// <summary>The records of the specs that have one.</summary>
    static IReadOnlyList<RunRecord> Finished(ResultStore store, IEnumerable<ExperimentSpec> specs) =>
        [.. specs.Select(store.Complete).OfType<RunRecord>()];

    /// <summary>The run folder: the records, then phase.csv, phase.png and phase.md; a failure after the records keeps them.</summary>
    static int WriteDiagram(IReadOnlyList<RunRecord> records, int planned, string output, IReadOnlyList<string> problems, string results)
    {
        if (records.Count == 0) return Job.RunsFailed;
        string elsewhere = $"all {records.Count} records are in {results}: run the same command again to write the diagram";
        RunFolder folder;
        try { folder = RunFolder.Create(output, Job.RunId([.. records.Select(r => r.Spec)])); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadInputException) // a full disk after training
        {
            Console.Error.WriteLine($"error: {e.Message.Split('\n')[0].Trim()}; {elsewhere}");
            return Job.WriteFailed;
        }
        using var held = folder;
        return Job.AfterRecords(folder, () =>
        {
            foreach (var record in records) folder.WriteAtomically(JobFiles.Record(record.Spec), RecordJson.Serialize(record));
            var grid = PhaseGrid.FromRecords(records);
            folder.WriteAtomically(PhaseReport.CsvFile, PhaseReport.Csv(grid));
            string? skipped = FigureSet.TrySave(folder.WorkingPath, PhaseFigure.File,
                path => PhaseFigure.Draw(grid).SavePng(path, FigureStyle.Width, FigureStyle.Height));
            string? figure = skipped is null ? PhaseFigure.File : null;
            folder.WriteAtomically(PhaseReport.File, PhaseReport.Write(folder.RunId, grid, records, figure, [.. problems, .. new[] { skipped }.OfType<string>()], planned));
            var (final, pointerWarning) = folder.Commit();

            if (PhaseReport.Incompleteness(grid, records, planned) is { } incomplete) Job.Warn(incomplete.Replace("**", ""));
            AnsiConsole.WriteLine(PhaseReport.Verdict(grid));
            foreach (string warning in new[] { skipped, pointerWarning }.OfType<string>()) Job.Warn(warning);
            AnsiConsole.MarkupLine($"Wrote {records.Count} records, {PhaseReport.CsvFile}, {(figure is null ? "" : figure + ", ")}{PhaseReport.File} to [link]{Markup.Escape(final)}[/]");
            return 0;
        }, elsewhere);
    }
}
