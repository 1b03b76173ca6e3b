using Experiments.Plotting;
using Experiments.Records;
using Experiments.Training;

namespace Experiments.Cli;

/// <summary>The files of a job's run folder, by name: what the job writes and what <c>--dry-run</c> lists, from one place.</summary>
public static class JobFiles
{
    public const string LayersCsv = "layers.csv";
    public const string EpochsCsv = "epochs.csv";
    public const string Report = "report.md";

    public static string Record(ExperimentSpec spec) => spec.FileName() + ".json";
    public static string Table(ExperimentSpec spec) => spec.FileName() + "-table.txt";
    /// <summary>The folder of a run's TensorBoard event files (with --tensorboard); their names are the writer's own.</summary>
    public static string TensorBoard(ExperimentSpec spec) => Path.Combine(TensorBoardFolder, spec.FileName());
    public const string TensorBoardFolder = "tensorboard";

    /// <summary>Every file a job of these specs writes when every run finishes and every figure draws.</summary>
    public static IReadOnlyList<string> Planned(IReadOnlyList<ExperimentSpec> specs) =>
    [
        .. specs.SelectMany(spec => new[] { Record(spec), Table(spec) }.Concat(FigureSet.FileNames(spec, MeanFieldPredictor.Applies(spec)))),
        LayersCsv, EpochsCsv, .. FigureSet.Summaries, Report,
    ];
}
