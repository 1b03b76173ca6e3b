using System.Globalization;
using Experiments.Models;

namespace Experiments.Records;

/// <summary>
/// The one place that decides how a spec is named, in file names ("relu-d20-sgd-lr0.01") and in labels ("relu, 20 hidden
/// × 128, glorot-uniform, sgd, lr 0.01"). Every configuration field that differs from its default is named, its value
/// written exactly (shortest round trip), so two configurations never share a name. The data and the length of a run
/// (data, samples, test fraction, epochs, measurement batches, threads) are not named: every configuration of a job
/// shares them, the report and the CSVs state them, and so the classic configurations keep their names (relu-d20)
/// however long the run.
/// </summary>
public static class SpecNames
{
    /// <summary>Longest file-name stem: with the longest suffix ("-delta-profile.png") well inside any file system's 255 bytes.</summary>
    public const int MaxFileName = 100;

    static readonly ExperimentSpec Defaults = new();

    /// <summary>Short name for files and tables: activation and depth, then every field that differs from its default.</summary>
    public static string FileName(ExperimentSpec spec)
    {
        string name = string.Join("-", new[] { RecordJson.Name(spec.Activation), $"d{spec.Depth}" }.Concat(Differences(spec).Select(d => d.Short)));
        if (name.Length <= MaxFileName) return name;
        // Extreme values: keep the readable start, and let the spec id (a hash of every field) tell the rest apart.
        return $"{name[..(MaxFileName - spec.Id.Length - 1)].TrimEnd('-')}-{spec.Id}";
    }

    /// <summary>Label for figures and tables: the network always, then every other field that differs from its default.</summary>
    public static string Label(ExperimentSpec spec) =>
        $"{RecordJson.Name(spec.Activation)}, {spec.Depth} hidden × {spec.Width}, {RecordJson.Name(spec.Init)}" +
        string.Concat(Differences(spec).Where(d => d.Long != null).Select(d => ", " + d.Long));

    /// <summary>The configuration fields that differ from their defaults, in a fixed order: (file-name part, label part or
    /// null when the label always shows the field).</summary>
    static IEnumerable<(string Short, string? Long)> Differences(ExperimentSpec spec)
    {
        if (spec.Width != Defaults.Width) yield return ($"w{spec.Width}", null);
        if (spec.Init != Defaults.Init) yield return (RecordJson.Name(spec.Init), null);
        if (spec.SigmaW2 is { } w) yield return ($"sw{Number(w)}", $"σw²={Number(w)}");
        if (spec.BiasSigma2 != Defaults.BiasSigma2) yield return ($"sb{Number(spec.BiasSigma2)}", $"σb²={Number(spec.BiasSigma2)}");
        if (spec.Normalization != Defaults.Normalization)
            yield return (RecordJson.Name(spec.Normalization) + "norm", $"{RecordJson.Name(spec.Normalization)} norm");
        if (spec.Residual) yield return ("residual", "residual");
        if (spec.Optimizer != Defaults.Optimizer) yield return (RecordJson.Name(spec.Optimizer), RecordJson.Name(spec.Optimizer));
        if (spec.LearningRate != Defaults.LearningRate) yield return ($"lr{Number(spec.LearningRate)}", $"lr {Number(spec.LearningRate)}");
        if (spec.Momentum != Defaults.Momentum) yield return ($"m{Number(spec.Momentum)}", $"momentum {Number(spec.Momentum)}");
        if (spec.BatchSize != Defaults.BatchSize) yield return ($"b{spec.BatchSize}", $"batch {spec.BatchSize}");
        if (spec.ClipNorm is { } c) yield return ($"clip{Number(c)}", $"clip {Number(c)}");
        if (spec.Seed != Defaults.Seed) yield return ($"seed{spec.Seed}", $"seed {spec.Seed}");
        if (spec.Precision != Defaults.Precision) yield return (RecordJson.Name(spec.Precision), RecordJson.Name(spec.Precision));
    }

    /// <summary>The shortest text that reads back as the same double, without a '+': 0.001, 2.5, 1e-05, 1e300.</summary>
    public static string Number(double value) =>
        value.ToString("R", CultureInfo.InvariantCulture).Replace("E+", "e").Replace("E-", "e-");
}
