using Experiments.Records;
using ScottPlot;

namespace Experiments.Plotting;

/// <summary>Every figure of a set of runs, by file name: what the main job writes and the snapshots check.</summary>
public static class FigureSet
{
    public const string Overview = "overview.png";
    public const string LearningCurves = "learning-curves.png";

    /// <summary>The figures of one configuration, by file name, each drawn when asked for.</summary>
    public static IEnumerable<(string File, Func<Plot> Draw)> ForRecord(RunRecord record)
    {
        string name = record.Spec.FileName();
        yield return ($"{name}-grad-norms.png", () => GradientFigures.NormsByEpoch(record));
        yield return ($"{name}-delta-profile.png", () => GradientFigures.DeltaProfile(record));
        yield return ($"{name}-heatmap.png", () => GradientFigures.Heatmap(record));
        if (record.Prediction is not null) yield return ($"{name}-theory.png", () => TheoryFigure.DeltaProfile(record));
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
            try
            {
                drawTo(Path.Combine(folder, file));
                files.Add(file);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                warnings.Add($"figure {file} skipped: {e.Message.ReplaceLineEndings(" ")}");
            }
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
