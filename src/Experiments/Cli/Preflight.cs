using System.Globalization;
using Experiments.Models;
using Experiments.Records;
using Experiments.Training;

namespace Experiments.Cli;

/// <summary>
/// Everything about a job that can be known before training, checked before anything is written: each spec valid,
/// its data readable and consistent, file names distinct, the output path usable, memory enough for the runs trained
/// at once. A failure here is one line and exit code 2, instead of an error after minutes of training.
/// </summary>
public static class Preflight
{
    /// <summary>Longest path Linux accepts (PATH_MAX); the run folder and its longest file name must fit in it.</summary>
    const int MaxPath = 4095;

    public static void Check(IReadOnlyList<ExperimentSpec> specs, int parallel, string? output = null)
    {
        Workers.WorkerProcess.SilenceLimit(); // a bad limit is refused now, not when the first worker starts
        DownloadDisplay.EnsureDownloaded(specs.Select(s => s.Data)); // data sets by name, with progress; the checks below read them
        var data = specs.Select(Trainer.LoadData).ToList();
        if (specs.GroupBy(s => s.FileName()).FirstOrDefault(g => g.Count() > 1) is { } shared)
            throw new SpecException($"{shared.Key}: {shared.Count()} configurations would share this name and overwrite each other's files");
        if (output != null) CheckOutput(output);
        CheckMemory(specs.Select((spec, i) => (spec, MemoryEstimate.Bytes(spec, data[i].Train.Rows, data[i].Train.Columns, data[i].Train.Count, data[i].Test.Count),
            MemoryEstimate.Parameters(spec, data[i].Train.Rows, data[i].Train.Columns))).ToList(), parallel);
    }

    /// <summary>The most configurations one command plans: each is a spec in memory, a line of a listing and a run.</summary>
    public const int MaxConfigurations = 1_000_000;

    /// <summary>Refuses a grid of more than <see cref="MaxConfigurations"/> from its options' numbers of values, before one
    /// spec is built: a 10⁸-cell grid took 6 GB and half a minute before anything was said.</summary>
    public static void CheckGridSize(params (string Option, int Values)[] lists)
    {
        var several = lists.Where(l => l.Values > 1).ToList();
        double size = several.Aggregate(1.0, (product, l) => product * l.Values);
        if (size > MaxConfigurations)
            throw new SpecException($"{string.Join(" × ", several.Select(l => $"{l.Option} ({l.Values:N0} values)"))}: " +
                                    $"{size.ToString("N0", CultureInfo.InvariantCulture)} configurations; expected at most " +
                                    $"{MaxConfigurations.ToString("N0", CultureInfo.InvariantCulture)} in one command (split it into sweeps or shards)");
    }

    static void CheckOutput(string output)
    {
        if (string.IsNullOrWhiteSpace(output)) throw new SpecException($"--out {output}: expected a folder path");
        // runs/<partial folder>/<configuration>-delta-profile.png, the longest file a run writes.
        int longest = Path.GetFullPath(output).Length + $"/runs/{Reporting.RunFolder.LongestPartialName}/".Length + SpecNames.MaxFileName + "-delta-profile.png".Length;
        if (longest > MaxPath)
            throw new SpecException($"--out {output[..Math.Min(output.Length, 60)]}...: a path of {Path.GetFullPath(output).Length} characters; " +
                                    $"expected at most {MaxPath - (longest - Path.GetFullPath(output).Length)}, so that the run's files fit the system's limit");
        CheckWritable(output);
    }

    /// <summary>The output folder (or, where it does not exist yet, the nearest folder above it, where it would be made) takes
    /// a file: a read-only folder is found before training, not after. The probe is removed; nothing else is written.</summary>
    static void CheckWritable(string output)
    {
        var folder = new DirectoryInfo(Path.GetFullPath(output));
        while (!folder.Exists && folder.Parent is not null) folder = folder.Parent;
        if (File.Exists(Path.GetFullPath(output))) throw new SpecException($"--out {output}: a file; expected a folder");
        string probe = Path.Combine(folder.FullName, $".write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpecException($"--out {output}: cannot write in {folder.FullName} ({e.Message}); expected a writable folder");
        }
    }

    static void CheckMemory(IReadOnlyList<(ExperimentSpec Spec, double Bytes, double Parameters)> runs, int parallel)
    {
        if (MemoryEstimate.Available() is not { } available) return;
        var atOnce = runs.OrderByDescending(r => r.Bytes).Take(Math.Max(1, parallel)).ToList();
        double needed = atOnce.Sum(r => r.Bytes + MemoryEstimate.WorkerProcessBytes); // each run in a worker process of its own
        if (needed <= available) return;
        var largest = atOnce[0];
        string runsAtOnce = atOnce.Count > 1 ? $"{atOnce.Count} runs at once (--parallel {parallel}) need" : "needs";
        throw new SpecException(
            (largest.Spec.Model.IsRecurrent() ? $"--model {RecordJson.Name(largest.Spec.Model)} --width {largest.Spec.Width}" : $"--width {largest.Spec.Width} --depth {largest.Spec.Depth}") +
            $": {runsAtOnce} about {MemoryEstimate.Format(needed)} of memory " +
            $"({largest.Parameters.ToString("N0", CultureInfo.InvariantCulture)} parameters with their gradients and {RecordJson.Name(largest.Spec.Optimizer)} state, " +
            $"activations of a batch of {largest.Spec.BatchSize}, {MemoryEstimate.Format(MemoryEstimate.WorkerProcessBytes)} for each worker process), more than the {MemoryEstimate.Format(available)} available; " +
            (largest.Spec.Model.IsRecurrent() ? "expected a smaller --width or --batch" : "expected a smaller --width, --depth or --batch") + (atOnce.Count > 1 ? ", or a smaller --parallel" : ""));
    }
}
