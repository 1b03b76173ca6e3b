using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Experiments.Models;
using Experiments.Training;
using Spectre.Console;

namespace Experiments.Cli;

/// <summary>
/// `bench`: seconds per training epoch (with full gradient tracking) for a grid of configurations, measured in one
/// process one after another, so that the ratios between rows are what to compare; machines here are noisy.
/// </summary>
public static class BenchCommand
{
    public static Command Create(SpecOptions options, Func<ParseResult, Func<CancellationToken, int>, int> guarded)
    {
        var command = new Command("bench", "Seconds per epoch of tracked training, for depth × activation × batch; ratios to the first row.");
        options.Epochs.Description = "timed epochs per configuration";
        options.Epochs.DefaultValueFactory = _ => 2;
        options.Depth.DefaultValueFactory = _ => [20];
        options.Batch.DefaultValueFactory = _ => [64, 256];
        foreach (var option in options.All) command.Options.Add(option);
        command.SetAction(parsed => guarded(parsed, cancel =>
        {
            Run(options.Specs(parsed), cancel);
            return 0;
        }));
        return command;
    }

    static void Run(IReadOnlyList<ExperimentSpec> specs, CancellationToken cancel)
    {
        Trainer.Run(specs[0] with { Epochs = 1, Samples = 500, BatchSize = Math.Min(specs[0].BatchSize, 64) }); // warm-up: load libtorch, data, JIT
        var table = new Table().Border(TableBorder.Rounded)
            .Caption(Markup.Escape($"{specs[0].Epochs} timed epochs each (epoch 0 excluded), {specs[0].Threads} libtorch thread(s), {Environment.ProcessorCount} cores"));
        foreach (string header in new[] { "configuration", "batch", "steps/epoch", "s/epoch", "ratio to first" })
            table.AddColumn(new TableColumn(header).RightAligned());
        double? first = null;
        foreach (var spec in specs)
        {
            if (cancel.IsCancellationRequested) break;
            double start = 0, end = 0;
            var clock = Stopwatch.StartNew();
            var record = Trainer.Run(spec, epoch =>
            {
                if (epoch.Epoch == 0) start = clock.Elapsed.TotalSeconds;
                end = clock.Elapsed.TotalSeconds;
            }, cancel);
            int epochs = record.Epochs.Count - 1;
            double perEpoch = epochs > 0 ? (end - start) / epochs : double.NaN;
            first ??= perEpoch;
            table.AddRow(Markup.Escape(spec.FileName()), spec.BatchSize.ToString(CultureInfo.InvariantCulture),
                record.Final.Steps.ToString(CultureInfo.InvariantCulture), perEpoch.ToString("0.000", CultureInfo.InvariantCulture),
                (perEpoch / first.Value).ToString("0.00", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
    }
}
