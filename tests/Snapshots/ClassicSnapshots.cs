using Experiments.Models;
using Experiments.Plotting;
using Experiments.Records;
using Experiments.Reporting;
using Experiments.Training;
using Experiments.Workers;
using Hypotheses.Support;
using NUnit.Framework;
using ScottPlot;

namespace Snapshots;

/// <summary>
/// The classic experiment's four configurations, short (2,000 digits, 3 epochs, seed 1, float64), as figures and tables.
/// A change to training, tracking or plotting shows up here as a snapshot diff to review.
/// </summary>
[TestFixture]
public class ClassicSnapshots
{
    /// <summary>
    /// In float64 so that no CPU changes a snapshot: in float32 the deep ReLU net's training is chaotic, and the
    /// last-bit differences between one CPU's kernels and another's move its epoch-3 loss by up to 2%.
    /// </summary>
    static readonly ExperimentSpec Short = new() { Samples = 2000, Epochs = 3, Seed = 1, Precision = Precision.Float64 };

    /// <summary>The classic grid, short, in the order the main job runs it.</summary>
    public static IReadOnlyList<ExperimentSpec> Configurations { get; } = ClassicExperiment.Specs(Short);

    public static ExperimentSpec Condition(Activation activation, int depth) => Short with { Activation = activation, Depth = depth };

    /// <summary>Each test's snapshot files, by test name and case: what the test verifies, and all the approved folder may hold.</summary>
    public static IEnumerable<(string Test, IReadOnlyList<SnapshotFile> Files)> Tests =>
        Configurations.Select(spec => (nameof(Configuration), ConfigurationFiles(spec)))
            .Append((nameof(Overview), (IReadOnlyList<SnapshotFile>)[OverviewFigure()]));

    static IEnumerable<TestCaseData> ConfigurationCases() =>
        Configurations.Select(spec => new TestCaseData(spec).SetArgDisplayNames(spec.FileName()));

    [TestCaseSource(nameof(ConfigurationCases))]
    public void Configuration(ExperimentSpec spec) => Snapshot.VerifyAll(ConfigurationFiles(spec));

    [Test]
    public void Overview() => Snapshot.VerifyAll([OverviewFigure()]);

    /// <summary>A configuration's figures and table, named as the main job names its files (files render only when verified).</summary>
    static IReadOnlyList<SnapshotFile> ConfigurationFiles(ExperimentSpec spec)
    {
        RunRecord Record() => RunCache.Get(spec);
        return
        [
            .. FigureSet.FileNames(spec, MeanFieldPredictor.Applies(spec)).Select(file => Snapshot.Png(Path.GetFileNameWithoutExtension(file),
                () => Png(FigureSet.ForRecord(Record()).Single(f => f.File == file).Draw()))),
            Snapshot.Text($"{spec.FileName()}-table", () => LayerTable.Format(Record())),
        ];
    }

    static SnapshotFile OverviewFigure() => Snapshot.Png(Path.GetFileNameWithoutExtension(FigureSet.Overview), () =>
    {
        var records = Configurations.Select(RunCache.Get).ToList();
        var (width, height) = SummaryFigures.OverviewSize(records.Count);
        return SummaryFigures.Overview(records).Render(width, height).GetImageBytes();
    });

    static byte[] Png(Plot plot) => plot.GetImageBytes(FigureStyle.Width, FigureStyle.Height, ImageFormat.Png);
}
