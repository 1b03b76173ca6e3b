using Experiments.Training;
using ScottPlot;

namespace Experiments.Plotting;

/// <summary>Every figure of a set of runs, by file name: what the main job writes and the snapshots check.</summary>
public static class FigureSet
{
    public const string Overview = "overview.png";
    public const string LearningCurves = "learning-curves.png";

    /// <summary>The figures of one configuration, by file name.</summary>
    public static IEnumerable<(string File, Plot Plot)> ForRecord(RunRecord record)
    {
        string name = record.Spec.FileName();
        yield return ($"{name}-grad-norms.png", GradientFigures.NormsByEpoch(record));
        yield return ($"{name}-delta-profile.png", GradientFigures.DeltaProfile(record));
        yield return ($"{name}-heatmap.png", GradientFigures.Heatmap(record));
        if (Theory.Prediction.Applies(record.Spec)) yield return ($"{name}-theory.png", TheoryFigure.DeltaProfile(record));
    }

    /// <summary>Writes every figure into <paramref name="folder"/>; returns the file names, in order.</summary>
    public static IReadOnlyList<string> WriteAll(IReadOnlyList<RunRecord> records, string folder)
    {
        var files = new List<string>();
        foreach (var record in records)
            foreach (var (file, plot) in ForRecord(record))
            {
                plot.SavePng(Path.Combine(folder, file), FigureStyle.Width, FigureStyle.Height);
                files.Add(file);
            }
        var (width, height) = SummaryFigures.OverviewSize(records.Count);
        SummaryFigures.Overview(records).SavePng(Path.Combine(folder, Overview), width, height);
        SummaryFigures.LearningCurves(records).SavePng(Path.Combine(folder, LearningCurves), 2 * FigureStyle.Width, FigureStyle.Height);
        files.Add(Overview);
        files.Add(LearningCurves);
        return files;
    }
}
