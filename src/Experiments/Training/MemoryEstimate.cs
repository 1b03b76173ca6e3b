using System.Globalization;
using Experiments.Models;
using Experiments.Records;

namespace Experiments.Training;

/// <summary>
/// The memory a run needs, estimated from its spec and data before anything is allocated, and what the machine has.
/// A floor, not a measurement: it counts only what must exist (parameters and their copies, one batch's activations,
/// the data as tensors), so a refused run could not have succeeded. libtorch would otherwise fail inside training,
/// after the output folder exists, with a page of C++ frames.
/// </summary>
public static class MemoryEstimate
{
    /// <summary>Test images evaluated at once (the trainer's evaluation batch).</summary>
    const int EvaluationBatch = 1000;

    /// <summary>The model's parameters for images of <paramref name="rows"/> × <paramref name="columns"/> pixels.</summary>
    public static double Parameters(ExperimentSpec spec, int rows, int columns)
    {
        double width = spec.Width, inputs = (double)rows * columns;
        if (spec.Model.IsRecurrent()) // W_ih and b_ih, W_hh and b_hh (every gate), the read-out
            return spec.Model.Gates() * width * (Trainer.RecurrentShape(spec, rows, columns).InputsPerStep + 1.0 + width + 1.0) + (width + 1) * 10;
        double linear = (inputs + 1.0) * width + (spec.Depth - 1.0) * (width + 1) * width + (width + 1) * 10;
        // Batch norm keeps a scale, a shift and two running statistics per unit; layer norm a scale and a shift.
        double norm = spec.Normalization switch { Models.Normalization.Batch => 4, Models.Normalization.Layer => 2, _ => 0 } * width * spec.Depth;
        return linear + norm;
    }

    /// <summary>Bytes for one run: weights, gradients and the optimizer's state (Adam two moments, SGD with momentum one
    /// buffer); per hidden layer and example at least six kept values in training
    /// (Linear output and its gradient, normalised value, activation, their gradients) or three in evaluation (a recurrent
    /// net: per time step, gate and example three in training); the data.</summary>
    public static double Bytes(ExperimentSpec spec, int rows, int columns, int trainImages, int testImages)
    {
        double element = spec.Precision == Precision.Float64 ? 8 : 4;
        double copies = 2 + (spec.Optimizer == OptimizerKind.Adam ? 2 : spec.Momentum != 0 ? 1 : 0);
        double activations = spec.Model.IsRecurrent()
            ? (double)spec.Width * Trainer.RecurrentShape(spec, rows, columns).Steps * spec.Model.Gates() * 3.0 * spec.BatchSize
            : (double)spec.Width * spec.Depth * Math.Max(6.0 * spec.BatchSize, 3.0 * EvaluationBatch);
        double data = ((double)trainImages + testImages) * rows * columns * (element + 1); // tensors, and the bytes they come from
        return element * (copies * Parameters(spec, rows, columns) + activations) + data;
    }

    /// <summary>A worker process before its run: the .NET runtime and libtorch. Measured on linux-x64: 300 MB resident at the
    /// peak of a small run whose data and model the estimate puts at 45 MB; 200 MB keeps the estimate a floor.</summary>
    public const double WorkerProcessBytes = 200e6;

    /// <summary>Memory that can be allocated now: the smaller of what the runtime sees (physical or container limit) and,
    /// on Linux, MemAvailable. Null when neither is known.</summary>
    public static double? Available()
    {
        long total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        double? available = total > 0 ? total : null;
        if (MemAvailable() is { } free) available = Math.Min(available ?? free, free);
        return available;
    }

    static double? MemAvailable()
    {
        const string meminfo = "/proc/meminfo";
        try
        {
            if (!File.Exists(meminfo)) return null;
            string? line = File.ReadLines(meminfo).FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
            string[]? parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts is [_, var kb, "kB"] && long.TryParse(kb, CultureInfo.InvariantCulture, out long value) ? value * 1024.0 : null;
        }
        catch (IOException) { return null; }
    }

    /// <summary>Bytes as "1.2 GB" or "350 MB".</summary>
    public static string Format(double bytes) => bytes >= 1e9
        ? (bytes / 1e9).ToString(bytes >= 1e11 ? "N0" : "0.#", CultureInfo.InvariantCulture) + " GB"
        : (bytes / 1e6).ToString("0", CultureInfo.InvariantCulture) + " MB";
}
