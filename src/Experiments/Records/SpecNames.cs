using System.Globalization;
using Experiments.Models;

namespace Experiments.Records;

/// <summary>
/// The one place that decides how a spec is named, in file names ("relu-d20-sgd-lr0.01") and in labels ("relu, 20 hidden
/// × 128, glorot-uniform, sgd, lr 0.01"), from the rows of <see cref="SpecFields"/>. Every configuration field that differs
/// from its default is named, its value written exactly (shortest round trip), so two configurations never share a name.
/// The job-wide fields (the data and the length of a run) are not named: every configuration of a job shares them, the
/// report and the CSVs state them, and so the classic configurations keep their names (relu-d20) however long the run.
/// </summary>
public static class SpecNames
{
    /// <summary>Longest file-name stem: with the longest suffix ("-delta-profile.png") well inside any file system's 255 bytes.</summary>
    public const int MaxFileName = 100;

    /// <summary>Short name for files and tables: activation and depth, then every field that differs from its default.</summary>
    public static string FileName(ExperimentSpec spec)
    {
        var head = Head(spec).Select(field => field == SpecFields.Model ? SpecField.Show(spec.Model)
            : field == SpecFields.Activation ? SpecFields.Activation.Name!(spec.Activation) : SpecFields.Depth.Name!(spec.Depth));
        string name = string.Join("-", head.Concat(Others(spec).Select(f => f.NamePart(spec)).OfType<string>()));
        if (name.Length <= MaxFileName) return name;
        // Extreme values: keep the readable start, and let the spec id (a hash of every field that differs) tell the rest apart.
        return $"{name[..(MaxFileName - spec.Id.Length - 1)].TrimEnd('-')}-{spec.Id}";
    }

    /// <summary>Label for figures and tables: the network always, then every other field that differs from its default.</summary>
    public static string Label(ExperimentSpec spec) => Network(spec) + $", {SpecField.Show(spec.Init)}" +
        string.Concat(Others(spec).Select(f => f.LabelPart(spec)).OfType<string>().Select(part => ", " + part));

    /// <summary>"relu, 20 hidden × 128"; a recurrent net: "rnn, tanh, 128 units" or "lstm, 128 units".</summary>
    static string Network(ExperimentSpec spec) => spec.Model switch
    {
        ModelKind.Mlp => $"{SpecField.Show(spec.Activation)}, {spec.Depth} hidden × {spec.Width}",
        ModelKind.Rnn => $"rnn, {SpecField.Show(spec.Activation)}, {spec.Width} units",
        _ => $"{SpecField.Show(spec.Model)}, {spec.Width} units",
    };

    /// <summary>The rows that lead a name: an MLP's activation and depth (d20), a recurrent net's model and, for the vanilla
    /// RNN, its activation.</summary>
    static SpecField[] Head(ExperimentSpec spec) => spec.Model switch
    {
        ModelKind.Mlp => [SpecFields.Activation, SpecFields.Depth],
        ModelKind.Rnn => [SpecFields.Model, SpecFields.Activation],
        _ => [SpecFields.Model],
    };

    /// <summary>The rows after those that lead the name, in the table's order.</summary>
    static IEnumerable<SpecField> Others(ExperimentSpec spec) => SpecFields.All.Except([SpecFields.Activation, SpecFields.Depth, SpecFields.Model]);

    /// <summary>The shortest text that reads back as the same double, without a '+': 0.001, 2.5, 1e-05, 1e300.</summary>
    public static string Number(double value) =>
        value.ToString("R", CultureInfo.InvariantCulture).Replace("E+", "e").Replace("E-", "e-");
}
