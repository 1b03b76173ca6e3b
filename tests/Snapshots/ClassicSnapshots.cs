using ApprovalTests.Namers;
using Experiments.Models;
using Experiments.Plotting;
using Experiments.Reporting;
using Experiments.Training;
using NUnit.Framework;
using ScottPlot;

namespace Snapshots;

/// <summary>
/// The classic experiment's four configurations, short (2,000 digits, 3 epochs, seed 1), as figures and tables.
/// A change to training, tracking or plotting shows up here as a snapshot diff to review.
/// </summary>
[TestFixture, UseApprovalSubdirectory(Snapshot.ApprovedFolderName)]
public class ClassicSnapshots
{
    public static ExperimentSpec Condition(Activation activation, int depth) =>
        new() { Activation = activation, Depth = depth, Samples = 2000, Epochs = 3, Seed = 1 };

    [Test] public void Sigmoid_5_layers() => VerifyConfiguration(Activation.Sigmoid, 5);
    [Test] public void Sigmoid_20_layers() => VerifyConfiguration(Activation.Sigmoid, 20);
    [Test] public void Relu_5_layers() => VerifyConfiguration(Activation.Relu, 5);
    [Test] public void Relu_20_layers() => VerifyConfiguration(Activation.Relu, 20);

    [Test]
    public void Overview()
    {
        var records = new[] { (Activation.Sigmoid, 5), (Activation.Relu, 5), (Activation.Sigmoid, 20), (Activation.Relu, 20) }
            .Select(c => RunCache.Get(Condition(c.Item1, c.Item2))).ToList();
        var (width, height) = SummaryFigures.OverviewSize(records.Count);
        Snapshot.VerifyAll(("overview", Snapshot.Png(SummaryFigures.Overview(records).Render(width, height).GetImageBytes())));
    }

    static void VerifyConfiguration(Activation activation, int depth)
    {
        var record = RunCache.Get(Condition(activation, depth));
        var snapshots = FigureSet.ForRecord(record)
            .Select(f => (Path.GetFileNameWithoutExtension(f.File), Snapshot.Png(Png(f.Plot))))
            .Append(($"{record.Spec.FileName()}-table", Snapshot.Text(LayerTable.Format(record))))
            .ToArray();
        Snapshot.VerifyAll(snapshots);
    }

    static byte[] Png(Plot plot) => plot.GetImageBytes(FigureStyle.Width, FigureStyle.Height, ImageFormat.Png);
}
