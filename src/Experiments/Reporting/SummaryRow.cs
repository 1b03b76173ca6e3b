using System.Globalization;
using Experiments.Diagnostics;
using Experiments.Records;

namespace Experiments.Reporting;

/// <summary>One row per configuration: the first-to-last gradient ratios at initialisation and at the end, and how it learned.</summary>
public sealed record SummaryRow(
    string Configuration,
    double LogWeightRatioInitial,
    double LogWeightRatioFinal,
    double LogDeltaRatioInitial,
    double LogDeltaRatioFinal,
    double FinalLoss,
    double TrainAccuracy,
    double TestAccuracy,
    string Divergence)
{
    /// <param name="name">The row's name where records of the report share a file name (<see cref="Configurations.Distinctions"/>).</param>
    public static SummaryRow From(RunRecord record, string? name = null) => new(
        name ?? record.Spec.FileName(),
        record.Initial.LogFirstToLast(Metric.WeightGradNorm),
        record.Final.LogFirstToLast(Metric.WeightGradNorm),
        record.Initial.LogFirstToLast(Metric.DeltaNorm),
        record.Final.LogFirstToLast(Metric.DeltaNorm),
        record.Final.TrainLoss,
        record.Final.TrainAccuracy,
        record.Final.TestAccuracy,
        record.Divergence is { } d ? $"epoch {d.Epoch}, step {d.Step}: {d.Reason}" : "no");

    /// <summary>Column headers; the ratio columns hold log10(first hidden / last hidden layer), see <see cref="Caption"/>.</summary>
    public static readonly string[] Headers =
        ["configuration", "∂W e0", "∂W last", "δ e0", "δ last", "loss", "train acc", "test acc", "diverged"];

    public const string Caption =
        "∂W and δ columns: log10 of first-hidden-layer / last-hidden-layer ‖∂L/∂W‖ and ‖δ‖ = ‖∂L/∂h‖, " +
        "at epoch 0 (initialisation) and the last epoch; -2 means 100× smaller on the input side.";

    public string[] Cells() =>
    [
        Configuration, Number(LogWeightRatioInitial), Number(LogWeightRatioFinal), Number(LogDeltaRatioInitial),
        Number(LogDeltaRatioFinal), Number(FinalLoss, "0.000"), Number(TrainAccuracy, "0.000"), Number(TestAccuracy, "0.000"),
        Divergence,
    ];

    static string Number(double value, string format = "+0.00;-0.00;0.00") =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);
}
