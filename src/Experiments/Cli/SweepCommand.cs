using System.Text.RegularExpressions;
using System.CommandLine;
using Experiments.Records;
using Experiments.Workers;
using Spectre.Console;

namespace Experiments.Cli;

/// <summary>
/// `sweep &lt;file&gt;`: the grid a sweep file declares (<see cref="SweepFile"/>), or this job array task's shard of it, trained
/// into a results folder by spec id (<see cref="ResultStore"/>). Specs whose complete record is there are not trained
/// again, so a crashed, killed or failed sweep or shard resumes by running the same command. `report` merges the results.
/// </summary>
public static class SweepCommand
{
    public static Command Create(Func<ParseResult, Func<CancellationToken, int>, int> guarded)
    {
        var file = new Argument<string>("file") { Description = "sweep file (YAML or JSON): option names without dashes, each a value or a list" };
        var output = JobOptions.Output("records go to <out>/results/<spec id>.json");
        var parallel = JobOptions.Parallel();
        var (shard, shards) = JobOptions.Shards();
        var dryRun = new Option<bool>("--dry-run") { Description = "list this shard's specs and which are already complete; train nothing" };
        var command = new Command("sweep", "Train the grid a sweep file declares (or one shard of it) into a results folder; resumable.")
        {
            file, output, parallel, shard, shards, dryRun,
        };
        command.SetAction(parsed => guarded(parsed, cancel =>
        {
            int runs = JobOptions.ParallelOf(parsed, parallel);
            string path = parsed.GetValue(file)!;
            var specs = Specs(path);
            var part = Shard.From(parsed.GetValue(shard), parsed.GetValue(shards), Environment.GetEnvironmentVariable);
            var mine = part?.Select(specs) ?? specs;
            var store = new ResultStore(Path.Combine(parsed.GetValue(output)!, "results"));
            var done = mine.Where(s => store.Complete(s) is not null).Select(s => s.Id).ToHashSet();
            var todo = mine.Where(s => !done.Contains(s.Id)).ToList();
            Console.WriteLine($"sweep {path}: {specs.Count} specs" + (part is null ? "" : $", shard {part}: {mine.Count}") +
                              $"; {done.Count} already complete in {store.Folder}, {todo.Count} to train");
            if (parsed.GetValue(dryRun))
            {
                foreach (var spec in mine) Console.WriteLine($"  {(done.Contains(spec.Id) ? "complete" : "to train")}  spec {spec.Id}  {spec.Label}");
                return 0;
            }
            if (todo.Count == 0) return 0;
            Preflight.Check(todo, runs, parsed.GetValue(output));
            var outcome = Job.Run(todo.Select(s => new TrainRequest(s)).ToList(), runs, cancel, record =>
            {
                if (!store.Save(record)) Console.WriteLine($"  kept: {store.PathOf(record.Spec)}, complete, written meanwhile by another job");
            });
            int failed = outcome.Failures.Count, interrupted = outcome.Runs.Count(o => o.Record is { } r && r.Interrupted);
            Console.WriteLine($"sweep: trained {outcome.Runs.Count - failed - interrupted}, reused {done.Count}, failed {failed}" +
                              (interrupted > 0 ? $", interrupted {interrupted}" : "") +
                              (outcome.NotStarted.Count > 0 ? $", not started {outcome.NotStarted.Count}" : "") + $"; results in {store.Folder}");
            return outcome.Conclude("run the same command again to train what is missing.");
        }));
        return command;
    }

    /// <summary>The sweep file's specs, checked as the command line checks its options; errors carry the file's line and column.</summary>
    public static IReadOnlyList<ExperimentSpec> Specs(string path)
    {
        var options = SpecOptions.Classic();
        var (tokens, places) = SweepFile.Read(path, options.All.Select(o => o.Name));
        var command = new RootCommand();
        foreach (var option in options.All) command.Options.Add(option);
        NumberSyntax.ApplyTo(command);
        // The option the message names first, matched whole (--init is not --init-batches).
        string Where(string message) =>
            places.Select(p => (Place: p.Value, Match: Regex.Match(message, Regex.Escape(p.Key) + @"(?![\w-])"))).Where(m => m.Match.Success)
                .OrderBy(m => m.Match.Index).FirstOrDefault() is { Match: not null } named
                ? $"{path}:{named.Place.Line}:{named.Place.Column}: {message}" : $"{path}: {message}";
        var parsed = command.Parse(tokens);
        if (parsed.Errors.Count > 0) throw new SpecException(Where(parsed.Errors[0].Message));
        try { return options.Specs(parsed); }
        catch (SpecException e) { throw new SpecException(Where(e.Message)); }
    }
}
