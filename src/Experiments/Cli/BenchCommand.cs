using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Experiments.Models;
using Experiments.Records;
using Experiments.Training;
using Spectre.Console;
using TorchSharp;

namespace Experiments.Cli;

/// <summary>
/// `bench`: seconds per training epoch for a grid of configurations, tracked and untracked, measured in one process with
/// the trainings of a configuration taking turns epoch by epoch, so that the ratios within a row are what to compare;
/// machines here are noisy. Each configuration first trains one untimed warm-up epoch on its own data (libtorch's
/// allocator, the JIT's tiers), so a row measures the configuration, not what ran before it. With --tensorboard, a fourth
/// training is tracked while writing TensorBoard event files (to a temporary folder): their cost is the ratio to tracked.
/// </summary>
public static class BenchCommand
{
    /// <summary>Training epochs run before the clock starts, in every configuration.</summary>
    public const int WarmUpEpochs = 1;

    public static Command Create(Func<ParseResult, Func<CancellationToken, int>, int> guarded)
    {
        var command = new Command("bench", "Seconds per epoch of tracked training against untracked training (TorchSharp's optimizer, " +
                                             "and the harness's own with the tracker off), for depth × activation × batch, in one process.");
        var options = new SpecOptions(ClassicExperiment.Template with { Depth = 20, Epochs = 2 },
            lists: [(SpecFields.Activation, [.. ClassicExperiment.Activations.Select(a => SpecField.Show(a))]), (SpecFields.BatchSize, [64, 256])]);
        options[SpecFields.Epochs].Description = "timed epochs per configuration (after one warm-up epoch); several values make a grid";
        var tensorBoard = new Option<bool>("--tensorboard")
        {
            Description = "also time tracked training that writes TensorBoard event files (to a temporary folder, removed after)",
        };
        foreach (var option in options.All) command.Options.Add(option);
        command.Options.Add(tensorBoard);
        command.SetAction(parsed => guarded(parsed, cancel =>
        {
            var specs = options.Specs(parsed);
            // A vanilla RNN is timed against libtorch's nn.RNN, which has no other nonlinearity: refused before anything trains.
            if (specs.FirstOrDefault(s => s.Model == ModelKind.Rnn && !TorchRecurrent.Supports(s.Activation)) is { } unsupported)
                throw new SpecException($"{SpecFields.Activation.Option} {SpecField.Show(unsupported.Activation)}: the bench times a vanilla RNN " +
                                        "against libtorch's nn.RNN, which has tanh and relu only; expected tanh or relu");
            Preflight.Check(specs, parallel: 1);
            return Run(specs, parsed.GetValue(tensorBoard), cancel);
        }));
        return command;
    }

    /// <summary>Seconds per timed epoch, from the seconds each complete epoch took (index = epoch; 0 is the measurement at
    /// initialisation, then the warm-up). NaN when no epoch after the warm-up completed.</summary>
    public static (double SecondsPerEpoch, int Timed) Timing(IReadOnlyList<double> epochSeconds)
    {
        var timed = epochSeconds.Skip(1 + WarmUpEpochs).ToList();
        return timed.Count > 0 ? (timed.Average(), timed.Count) : (double.NaN, 0);
    }

    static int Run(IReadOnlyList<ExperimentSpec> specs, bool tensorBoard, CancellationToken cancel)
    {
        Job.WidenForLogs(170);
        var table = new Table().Border(TableBorder.Rounded)
            .Caption(Markup.Escape($"s/epoch: {specs[0].Epochs} timed epochs each, after {WarmUpEpochs} untimed warm-up epoch, the trainings of a row " +
                                   $"taking turns epoch by epoch; {specs[0].Threads} libtorch thread(s), {Environment.ProcessorCount} cores. tracked: this " +
                                   "harness (every metric, every step). untracked: the same model, data, batches, per-step loss and accuracy and " +
                                   "per-epoch test evaluation, measuring nothing, with TorchSharp's optimizer on TorchSharp's parameters (what a " +
                                   "TorchSharp user writes), or this harness's own loop with its tracker off (plain). " +
                                   "GFLOP/s: the tracked epoch's matrix products (6 per weight and example)."));
        foreach (string header in new[] { "configuration", "batch", "steps/epoch", "tracked s/epoch", "untracked TorchSharp", "untracked plain",
                                          "tracked GFLOP/s", "tracked / TorchSharp", "tracked / plain" })
            table.AddColumn(new TableColumn(header).RightAligned());
        if (tensorBoard) table.AddColumn(new TableColumn("with TensorBoard / tracked").RightAligned());
        foreach (var spec in specs)
        {
            if (cancel.IsCancellationRequested) break;
            Console.WriteLine($"timing {spec.FileName()}: tracked, untracked with TorchSharp's optimizer, untracked plain" +
                              (tensorBoard ? " and tracked with TensorBoard event files" : "") +
                              $", taking turns epoch by epoch; {WarmUpEpochs} warm-up epoch and {spec.Epochs} timed");
            RowTimes row;
            using (Workers.StopSignals.WhileTraining()) row = TimeRow(spec with { Epochs = spec.Epochs + WarmUpEpochs }, tensorBoard, cancel);
            double gflops = row.FlopsPerEpoch / row.Tracked / 1e9;
            string[] cells = [Markup.Escape(spec.FileName() + row.Status), spec.BatchSize.ToString(CultureInfo.InvariantCulture),
                row.Steps.ToString(CultureInfo.InvariantCulture), Number(row.Tracked, "0.000"), Number(row.TorchSharp, "0.000"),
                Number(row.Plain, "0.000"), Number(gflops, "0.0"), Number(row.Tracked / row.TorchSharp, "0.00"), Number(row.Tracked / row.Plain, "0.00")];
            table.AddRow(tensorBoard ? [.. cells, Number(row.WithEvents / row.Tracked, "0.00")] : cells);
        }
        AnsiConsole.Write(table);
        if (!cancel.IsCancellationRequested) return 0;
        AnsiConsole.MarkupLine("[yellow]interrupted:[/] the rows above are the configurations timed so far.");
        return Job.Interrupted;
    }

    sealed record RowTimes(double Tracked, double TorchSharp, double Plain, double WithEvents, int Steps, double FlopsPerEpoch, string Status);

    /// <summary>
    /// Seconds per timed epoch of each training of one configuration (warm-up included in <paramref name="timed"/>), taking
    /// turns epoch by epoch so that the machine's drift (other work, its clock) falls on all of them alike; each epoch a
    /// different one goes first, and garbage is collected before each turn, outside the clock, so that no training pays for
    /// another's. All stop where one diverges or Ctrl+C comes, and only epochs every training completed count.
    /// TensorBoard's event files go to a temporary folder, removed after.
    /// </summary>
    static RowTimes TimeRow(ExperimentSpec timed, bool tensorBoard, CancellationToken cancel)
    {
        var data = Trainer.LoadData(timed);
        torch.set_num_threads(timed.Threads);
        string events = Path.Combine(Path.GetTempPath(), $"experiments-bench-{Environment.ProcessId}");
        try
        {
            using var log = tensorBoard ? new TensorBoardLog(events) : null;
            using var tracked = new TrainingRun(timed, data, observer: null);
            using var baseline = new Baseline(timed, data);
            using var plain = new TrainingRun(timed, data, observer: null, tracked: false);
            using var withEvents = log is null ? null : new TrainingRun(timed, data, log);
            int steps = 0;
            bool Train(TrainingRun run, int epoch, Action<EpochRecord>? onEpoch = null)
            {
                if (run.Epoch(epoch, cancel) is not { } record || run.Cancelled || run.Divergence is not null) return false;
                onEpoch?.Invoke(record);
                return true;
            }
            var trainings = new List<Func<int, bool>>
            {
                epoch => Train(tracked, epoch, record => steps = epoch > 0 ? Math.Max(steps, record.Steps) : steps),
                epoch => epoch == 0 || baseline.Epoch(cancel), // it has no epoch 0 (the measurement at initialisation)
                epoch => Train(plain, epoch),
            };
            if (withEvents is not null) trainings.Add(epoch => Train(withEvents, epoch, log!.OnEpoch));
            var seconds = trainings.Select(_ => new List<double>()).ToList();
            bool complete = true;
            for (int epoch = 0; epoch <= timed.Epochs && complete; epoch++)
            {
                var took = new double[trainings.Count];
                for (int turn = 0; turn < trainings.Count && complete; turn++)
                {
                    int t = (epoch + turn) % trainings.Count;
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    var clock = Stopwatch.StartNew();
                    complete = trainings[t](epoch);
                    took[t] = clock.Elapsed.TotalSeconds;
                }
                if (complete)
                    for (int t = 0; t < trainings.Count; t++) seconds[t].Add(took[t]);
            }
            string status = new[] { tracked, plain, withEvents }.Any(run => run?.Divergence is not null) ? " (diverged)"
                : complete ? "" : " (interrupted)";
            double PerEpoch(int t) => t < seconds.Count ? Timing(seconds[t]).SecondsPerEpoch : double.NaN;
            return new RowTimes(PerEpoch(0), PerEpoch(1), PerEpoch(2), PerEpoch(3), steps, Baseline.FlopsPerEpoch(timed, data), status);
        }
        finally
        {
            if (Directory.Exists(events)) Directory.Delete(events, recursive: true);
        }
    }

    static string Number(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";
}
