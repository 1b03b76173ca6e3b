using Experiments.Models;
using Experiments.Plotting;
using Experiments.Records;
using Experiments.Reporting;
using Experiments.Training;
using Hypotheses.Support;
using NUnit.Framework;
using ScottPlot;

namespace Snapshots;

/// <summary>
/// The recurrent nets, short (1,000 digits, 2 epochs, seed 1, float64 so that no CPU changes a snapshot), as figures and
/// tables: a tanh RNN with Gaussian weights (mean field's setting, so it has a theory figure), an LSTM and a GRU.
/// </summary>
[TestFixture]
public class RecurrentSnapshots
{
    static readonly ExperimentSpec Short = new() { Samples = 1000, Epochs = 2, Seed = 1, Precision = Precision.Float64 };

    public static IReadOnlyList<ExperimentSpec> Configurations { get; } =
    [
        ExperimentSpec.Recurrent(ModelKind.Rnn) with
        {
            Samples = Short.Samples, Epochs = Short.Epochs, Precision = Short.Precision,
            Init = Initialization.Normal, SigmaW2 = 1, BiasSigma2 = 0.05, RecurrentInit = RecurrentInitialization.AsInit,
        },
        ExperimentSpec.Recurrent(ModelKind.Lstm) with { Samples = Short.Samples, Epochs = Short.Epochs, Precision = Short.Precision },
        ExperimentSpec.Recurrent(ModelKind.Gru) with { Samples = Short.Samples, Epochs = Short.Epochs, Precision = Short.Precision },
    ];

    /// <summary>Each test's snapshot files, by test name and case: what the test verifies, and all the approved folder may hold.</summary>
    public static IEnumerable<(string Test, IReadOnlyList<SnapshotFile> Files)> Tests =>
        Configurations.Select(spec => (nameof(Configuration), Files(spec)));

    static IEnumerable<TestCaseData> Cases() => Configurations.Select(spec => new TestCaseData(spec).SetArgDisplayNames(spec.FileName()));

    [TestCaseSource(nameof(Cases))]
    public void Configuration(ExperimentSpec spec) => Snapshot.VerifyAll(Files(spec));

    /// <summary>A configuration's figures and table, named as the main job names its files.</summary>
    static IReadOnlyList<SnapshotFile> Files(ExperimentSpec spec)
    {
        RunRecord Record() => RunCache.Get(spec);
        return
        [
            .. FigureSet.FileNames(spec, MeanFieldPredictor.Applies(spec)).Select(file => Snapshot.Png(Path.GetFileNameWithoutExtension(file),
                () => FigureSet.ForRecord(Record()).Single(f => f.File == file).Draw().GetImageBytes(FigureStyle.Width, FigureStyle.Height, ImageFormat.Png))),
            Snapshot.Text($"{spec.FileName()}-table", () => LayerTable.Format(Record())),
        ];
    }
}
