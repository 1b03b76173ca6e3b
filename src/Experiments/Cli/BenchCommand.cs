using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Experiments.Records;
using Experiments.Training;
using Spectre.Console;

namespace Experiments.Cli;

/// <summary>
/// `bench`: seconds per training epoch for a grid of configurations, tracked and untracked, measured in one process one
/// after another, so that the ratios within a row are what to compare; machines here are noisy. Each
/// configuration first trains one untimed warm-up epoch on its own data (libtorch's allocator, the JIT's tiers), so a
/// row measures the configuration, not what ran before it. With --tensorboard, the tracked training is timed once more
/// while writing TensorBoard event files (to a temporary folder): their cost is the ratio between the two.
/// </summary>
public static class BenchCommand
{
    /// <summary>Training epochs run before the clock starts, in every configuration.</summary>
    public const int WarmUpEpochs = 1;

    public static Command Create(SpecOptions options, Func<ParseResult, Func<CancellationToken, int>, int> guarded)
    {
        var command = new Command("bench", "Seconds per epoch of tracked training against untracked training (TorchSharp's optimizer, " +
                                             "and the fused one), for depth × activation × batch, in one process.");
        options.Epochs.Description = "timed epochs per configuration (after one warm-up epoch)";
        options.Epochs.DefaultValueFactory = _ => [2];
        options.Depth.DefaultValueFactory = _ => [20];
        options.Batch.DefaultValueFactory = _ => [64, 256];
        var tensorBoard = new Option<bool>("--tensorboard")
        {
            Description = "also time tracked training that writes TensorBoard event files (to a temporary folder, removed after)",
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
        RunJob.WidenForLogs(170);
        var table = new Table().Border(TableBorder.Rounded)
            .Caption(Markup.Escape($"s/epoch: {specs[0].Epochs} timed epochs each, after {WarmUpEpochs} untimed warm-up epoch; {specs[0].Threads} libtorch " +
                                   $"thread(s), {Environment.ProcessorCount} cores. tracked: this harness (every metric, every step); untracked: the same " +
                                   "model, data and batches with TorchSharp's optimizer (what a TorchSharp user writes) or the fused one. " +
                                   "GFLOP/s: the tracked epoch's matrix products (6 per weight and example)."));
        foreach (string header in new[] { "configuration", "batch", "steps/epoch", "tracked s/epoch", "untracked TorchSharp", "untracked fused",
                                          "tracked GFLOP/s", "tracked / TorchSharp", "tracked / fused" })
            table.AddColumn(new TableColumn(header).RightAligned());
        if (tensorBoard) table.AddColumn(new TableColumn("with TensorBoard / tracked").RightAligned());
        foreach (var spec in specs)
        {
            if (cancel.IsCancellationRequested) break;
            var timed = spec with { Epochs = spec.Epochs + WarmUpEpochs };
            Console.WriteLine($"timing {spec.FileName()}: tracked, then untracked with TorchSharp's optimizer, then fused; " +
                              $"{WarmUpEpochs} warm-up epoch and {spec.Epochs} timed each");
            var (record, tracked) = TimeTracked(timed, cancel);
            double withEvents = tensorBoard && !record.Diverged ? TimeWithTensorBoard(timed, cancel) : double.NaN;
            // Baselines have no epoch 0: a leading 0 puts the warm-up's end where Timing expects it.
            double Untracked(Baseline.Optimizer optimizer) => record.Diverged ? double.NaN
                : Timing([0, .. Baseline.EpochEnds(spec, optimizer, timed.Epochs, cancel)]).SecondsPerEpoch;
            double torchSharp = Untracked(Baseline.Optimizer.TorchSharp), fused = Untracked(Baseline.Optimizer.Fused);
            double gflops = Baseline.FlopsPerEpoch(spec, Trainer.LoadData(spec)) / tracked / 1e9;
            string steps = record.Epochs.Skip(1).Select(e => e.Steps).DefaultIfEmpty(0).Max().ToString(CultureInfo.InvariantCulture);
            string[] cells = [Markup.Escape(spec.FileName() + (record.Complete ? "" : record.Diverged ? " (diverged)" : " (interrupted)")),
                spec.BatchSize.ToString(CultureInfo.InvariantCulture), steps, Number(tracked, "0.000"), Number(torchSharp, "0.000"),
                Number(fused, "0.000"), Number(gflops, "0.0"), Number(tracked / torchSharp, "0.00"), Number(tracked / fused, "0.00")];
            table.AddRow(tensorBoard ? [.. cells, Number(withEvents / tracked, "0.00")] : cells);
        }
        AnsiConsole.Write(table);
        if (!cancel.IsCancellationRequested) return 0;
        AnsiConsole.MarkupLine("[yellow]interrupted:[/] the rows above are the configurations timed so far.");
        return RunJob.Interrupted;
    }

    /// <summary>Tracked training of <paramref name="timed"/> (warm-up included), and its seconds per timed epoch.</summary>
    static (RunRecord Record, double SecondsPerEpoch) TimeTracked(ExperimentSpec timed, CancellationToken cancel, TensorBoardLog? log = null)
    {
        var ends = new List<double>();
        var clock = Stopwatch.StartNew();
        var record = Trainer.Run(timed, epoch => { log?.OnEpoch(epoch); ends.Add(clock.Elapsed.TotalSeconds); }, cancel, log);
        if (!record.Complete && ends.Count > 0) ends.RemoveAt(ends.Count - 1); // stopped inside it: not a whole epoch
        return (record, Timing(ends).SecondsPerEpoch);
    }

    /// <summary>Seconds per timed epoch of tracked training that writes its TensorBoard event files.</summary>
    static double TimeWithTensorBoard(ExperimentSpec timed, CancellationToken cancel)
    {
        Console.WriteLine($"timing {timed.FileName()} with TensorBoard event files");
        string events = Path.Combine(Path.GetTempPath(), $"experiments-bench-{Environment.ProcessId}");
        try
        {
            return TimeTracked(timed, cancel, new TensorBoardLog(events)).SecondsPerEpoch;
        }
        finally
        {
            if (Directory.Exists(events)) Directory.Delete(events, recursive: true);
        }
    }

    static string Number(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";
}
