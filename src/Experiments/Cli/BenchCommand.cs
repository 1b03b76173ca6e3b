using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Experiments.Records;
using Experiments.Training;
using Spectre.Console;

namespace Experiments.Cli;

/// <summary>
/// `bench`: seconds per training epoch (with full gradient tracking) for a grid of configurations, measured in one
/// process one after another, so that the ratios between rows are what to compare; machines here are noisy. Each
/// configuration first trains one untimed warm-up epoch on its own data (libtorch's allocator, the JIT's tiers), so a
/// row measures the configuration, not what ran before it. With --tensorboard, each configuration is timed a second
/// time while writing its TensorBoard event files: the cost of writing them is the ratio between the two rows.
/// </summary>
public static class BenchCommand
{
    /// <summary>Training epochs run before the clock starts, in every configuration.</summary>
    public const int WarmUpEpochs = 1;

    public static Command Create(SpecOptions options, Func<ParseResult, Func<CancellationToken, int>, int> guarded)
    {
        var command = new Command("bench", "Seconds per epoch of tracked training, for depth × activation × batch; ratios to the first row.");
        options.Epochs.Description = "timed epochs per configuration (after one warm-up epoch)";
        options.Epochs.DefaultValueFactory = _ => 2;
        options.Depth.DefaultValueFactory = _ => [20];
        options.Batch.DefaultValueFactory = _ => [64, 256];
        var tensorBoard = new Option<bool>("--tensorboard")
        {
            Description = "time each configuration twice, without and with TensorBoard event files (written to a temporary folder)",
        };
        foreach (var option in options.All) command.Options.Add(option);
        command.Options.Add(tensorBoard);
        command.SetAction(parsed => guarded(parsed, cancel =>
        {
            var specs = options.Specs(parsed);
            Preflight.Check(specs, parallel: 1);
            return Run(specs, parsed.GetValue(tensorBoard), cancel);
        }));
        return command;
    }

    /// <summary>Seconds per timed epoch, from the clock at the end of each complete epoch (index = epoch; 0 is the
    /// measurement at initialisation, then the warm-up). NaN when no epoch after the warm-up completed.</summary>
    public static (double SecondsPerEpoch, int Timed) Timing(IReadOnlyList<double> epochEnds)
    {
        int timed = epochEnds.Count - 1 - WarmUpEpochs;
        return timed > 0 ? ((epochEnds[^1] - epochEnds[WarmUpEpochs]) / timed, timed) : (double.NaN, 0);
    }

    static int Run(IReadOnlyList<ExperimentSpec> specs, bool tensorBoard, CancellationToken cancel)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Caption(Markup.Escape($"{specs[0].Epochs} timed epochs each, after {WarmUpEpochs} untimed warm-up epoch (and epoch 0, at initialisation); " +
                                   $"{specs[0].Threads} libtorch thread(s), {Environment.ProcessorCount} cores"));
        foreach (string header in new[] { "configuration", "batch", "steps/epoch", "timed epochs", "s/epoch", "ratio to first" })
            table.AddColumn(new TableColumn(header).RightAligned());
        double? first = null;
        foreach (var (spec, withEvents) in specs.SelectMany(s => (tensorBoard ? new[] { false, true } : [false]).Select(t => (s, t))))
        {
            if (cancel.IsCancellationRequested) break;
            string name = spec.FileName() + (withEvents ? " +tensorboard" : "");
            Console.WriteLine($"timing {name}: {WarmUpEpochs} warm-up epoch, then {spec.Epochs} timed");
            string events = Path.Combine(Path.GetTempPath(), $"experiments-bench-{Environment.ProcessId}");
            var log = withEvents ? new TensorBoardLog(events) : null;
            var ends = new List<double>();
            var clock = Stopwatch.StartNew();
            RunRecord record;
            try
            {
                record = Trainer.Run(spec with { Epochs = spec.Epochs + WarmUpEpochs }, epoch =>
                {
                    log?.OnEpoch(epoch);
                    ends.Add(clock.Elapsed.TotalSeconds);
                }, cancel, log is null ? null : log.OnStep);
            }
            finally
            {
                if (Directory.Exists(events)) Directory.Delete(events, recursive: true);
            }
            if (!record.Complete && ends.Count > 0) ends.RemoveAt(ends.Count - 1); // stopped inside it: not a whole epoch
            var (perEpoch, timed) = Timing(ends);
            if (double.IsFinite(perEpoch)) first ??= perEpoch;
            string epochs = record.Complete ? timed.ToString(CultureInfo.InvariantCulture)
                : $"{timed} of {spec.Epochs} ({(record.Diverged ? "diverged" : "interrupted")})";
            table.AddRow(Markup.Escape(name), spec.BatchSize.ToString(CultureInfo.InvariantCulture),
                record.Epochs.Skip(1).Select(e => e.Steps).DefaultIfEmpty(0).Max().ToString(CultureInfo.InvariantCulture), Markup.Escape(epochs), Number(perEpoch, "0.000"),
                Number(perEpoch / (first ?? double.NaN), "0.00"));
        }
        AnsiConsole.Write(table);
        if (!cancel.IsCancellationRequested) return 0;
        AnsiConsole.MarkupLine("[yellow]interrupted:[/] the rows above are the configurations timed so far.");
        return RunJob.Interrupted;
    }

    static string Number(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";
}
