using System.Runtime.CompilerServices;
using ApprovalTests.Namers;
using Experiments.Models;
using Experiments.Plotting;
using Experiments.Records;
using Experiments.Reporting;
using Experiments.Training;
using Experiments.Workers;
using NUnit.Framework;
using ScottPlot;

namespace Snapshots;

/// <summary>
/// The classic experiment's four configurations, short (2,000 digits, 3 epochs, seed 1, float64), as figures and tables.
/// A change to training, tracking or plotting shows up here as a snapshot diff to review.
/// </summary>
[TestFixture, UseApprovalSubdirectory(Snapshot.ApprovedFolderName)]
public class ClassicSnapshots
{
    /// <summary>
    /// In float64 so that no CPU changes a snapshot: in float32 the deep ReLU net's training is chaotic, and the
    /// last-bit differences between one CPU's kernels and another's move its epoch-3 loss by up to 2%.
    /// </summary>
    public static ExperimentSpec Condition(Activation activation, int depth) =>
        new() { Activation = activation, Depth = depth, Samples = 2000, Epochs = 3, Seed = 1, Precision = Precision.Float64 };

    /// <summary>Each test's snapshot files, by test name: what the test verifies, and all the approved folder may hold.</summary>
    public static readonly IReadOnlyDictionary<string, Func<IReadOnlyList<SnapshotFile>>> Tests =
        new Dictionary<string, Func<IReadOnlyList<SnapshotFile>>>
        {
            [nameof(Sigmoid_5_layers)] = () => Configuration(Activation.Sigmoid, 5),
            [nameof(Sigmoid_20_layers)] = () => Configuration(Activation.Sigmoid, 20),
            [nameof(Relu_5_layers)] = () => Configuration(Activation.Relu, 5),
            [nameof(Relu_20_layers)] = () => Configuration(Activation.Relu, 20),
            [nameof(Overview)] = () => [OverviewFigure()],
        };

    [Test] public void Sigmoid_5_layers() => Verify();
    [Test] public void Sigmoid_20_layers() => Verify();
    [Test] public void Relu_5_layers() => Verify();
    [Test] public void Relu_20_layers() => Verify();
    [Test] public void Overview() => Verify();

    static void Verify([CallerMemberName] string test = "") => Snapshot.VerifyAll(Tests[test]());

    /// <summary>A configuration's figures and table, named as the main job names its files.</summary>
    static IReadOnlyList<SnapshotFile> Configuration(Activation activation, int depth)
    {
        var record = RunCache.Get(Condition(activation, depth));
        return
        [
            .. FigureSet.ForRecord(record).Select(f => Snapshot.Png(Path.GetFileNameWithoutExtension(f.File), () => Png(f.Draw()))),
            Snapshot.Text($"{record.Spec.FileName()}-table", () => LayerTable.Format(record)),
        ];
    }

    static SnapshotFile OverviewFigure() => Snapshot.Png(Path.GetFileNameWithoutExtension(FigureSet.Overview), () =>
    {
        var records = new[] { (Activation.Sigmoid, 5), (Activation.Relu, 5), (Activation.Sigmoid, 20), (Activation.Relu, 20) }
            .Select(c => RunCache.Get(Condition(c.Item1, c.Item2))).ToList();
        var (width, height) = SummaryFigures.OverviewSize(records.Count);
        return SummaryFigures.Overview(records).Render(width, height).GetImageBytes();
    });

    static byte[] Png(Plot plot) => plot.GetImageBytes(FigureStyle.Width, FigureStyle.Height, ImageFormat.Png);
}
