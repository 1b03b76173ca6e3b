using Experiments.Models;
using Experiments.Records;
using ScottPlot;

namespace Experiments.Plotting;

/// <summary>Every figure of a set of runs, by file name: what the main job writes, the snapshots check and a dry run lists.</summary>
public static class FigureSet
{
    public const string Overview = "overview.png";
    public const string LearningCurves = "learning-curves.png";
    public static readonly IReadOnlyList<string> Summaries = [Overview, LearningCurves];

    /// <summary>A configuration's figures: file-name suffix, whether it draws the record's mean-field prediction (which
    /// plain MLPs have and normalised, residual or recurrent ones do not), whether it is a recurrent net's only, and how to
    /// draw it. A recurrent net's grad-norms are its three weight matrices', its heatmap is δ over time steps and epochs.</summary>
    static readonly (string Suffix, bool NeedsPrediction, bool RecurrentOnly, Func<RunRecord, Plot> Draw)[] PerConfiguration =
    [
        ("grad-norms", false, false, record => GradientFigures.NormsByEpoch(record)),
        ("delta-profile", false, false, GradientFigures.DeltaProfile),
        ("heatmap", false, false, record => GradientFigures.Heatmap(record)),
        ("theory", true, false, TheoryFigure.DeltaProfile),
        ("spectral-norm", false, true, GradientFigures.SpectralNorm),
    ];

    /// <summary>The figures of one configuration, by file name, each drawn when asked for.</summary>
    public static IEnumerable<(string File, Func<Plot> Draw)> ForRecord(RunRecord record) =>
        Of(record.Spec, record.Prediction is not null).Select(f => (FileName(record.Spec, f.Suffix), (Func<Plot>)(() => f.Draw(record))));

    /// <summary>The figure files of a configuration before it is trained; <paramref name="hasPrediction"/>: whether mean field applies.</summary>
    public static IEnumerable<string> FileNames(ExperimentSpec spec, bool hasPrediction) =>
        Of(spec, hasPrediction).Select(f => FileName(spec, f.Suffix));

    static IEnumerable<(string Suffix, bool NeedsPrediction, bool RecurrentOnly, Func<RunRecord, Plot> Draw)> Of(ExperimentSpec spec, bool hasPrediction) =>
        PerConfiguration.Where(f => (!f.NeedsPrediction || hasPrediction) && (!f.RecurrentOnly || spec.Model.IsRecurrent()));

    static string FileName(ExperimentSpec spec, string suffix) => $"{spec.FileName()}-{suffix}.png";

    /// <summary>Draws one figure into <paramref name="folder"/>; returns null, or a warning when it cannot be drawn (extreme or
    /// non-finite values can defeat an axis): the figure is skipped and the caller writes the rest.</summary>
    public static string? TrySave(string folder, string file, Action<string> drawTo)
    {
        try
        {
            drawTo(Path.Combine(folder, file));
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            try { File.Delete(Path.Combine(folder, file)); } // half a figure (a full disk) is no figure
            catch (Exception d) when (d is IOException or UnauthorizedAccessException) { } // the warning below says it is skipped
            return $"figure {file} skipped: {e.Message.ReplaceLineEndings(" ")}";
        }
    }

    /// <summary>
    /// Writes every figure into <paramref name="folder"/>; returns the file names written, in order, and a warning for
    /// each figure that could not be drawn (extreme or non-finite values can defeat an axis): it is skipped, the rest written.
    /// </summary>
    public static (IReadOnlyList<string> Files, IReadOnlyList<string> Warnings) WriteAll(IReadOnlyList<RunRecord> records, string folder)
    {
        var files = new List<string>();
        var warnings = new List<string>();
        void Save(string file, Action<string> drawTo)
        {
            if (TrySave(folder, file, drawTo) is { } warning) warnings.Add(warning);
            else files.Add(file);
        }
        foreach (var record in records)
            foreach (var (file, draw) in ForRecord(record))
                Save(file, path => draw().SavePng(path, FigureStyle.Width, FigureStyle.Height));
        var (width, height) = SummaryFigures.OverviewSize(records.Count);
        Save(Overview, path => SummaryFigures.Overview(records).SavePng(path, width, height));
        Save(LearningCurves, path => SummaryFigures.LearningCurves(records).SavePng(path, 2 * FigureStyle.Width, FigureStyle.Height));
        return (files, warnings);
    }
}
