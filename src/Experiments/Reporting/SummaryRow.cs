using System.Globalization;
using Experiments.Diagnostics;
using Experiments.Models;
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
        record.Divergence is { } d ? $"epoch {d.Epoch}, step {d.Step}: {d.Reason}" : "no") { Recurrent = record.Spec.Model.IsRecurrent() };

    /// <summary>Column headers; the ratio columns hold log10(first hidden / last hidden layer), see <see cref="Caption"/>.</summary>
    public static readonly string[] Headers =
        ["configuration", "∂W e0", "∂W last", "δ e0", "δ last", "loss", "train acc", "test acc", "diverged"];

    public const string Caption =
        "∂W and δ columns: log10 of first-hidden-layer / last-hidden-layer ‖∂L/∂W‖ and ‖δ‖ = ‖∂L/∂h‖, " +
        "at epoch 0 (initialisation) and the last epoch; -2 means 100× smaller on the input side.";

    /// <summary>Added below <see cref="Caption"/> when a recurrent net is among the rows.</summary>
    public const string RecurrentCaption =
        "A recurrent net's δ columns compare its first time step with its last (‖∂L/∂h_1‖ / ‖∂L/∂h_T‖): -2 means 100× smaller " +
        "at the start of the sequence. Its time steps share their weights, so it has no ∂W ratio (n/a).";

    /// <summary>A ratio's cell: "n/a" where the rows have no such metric (a recurrent net's time steps share their weights,
    /// so they have no weight gradient of their own), otherwise the number (NaN when a measurement was not finite).</summary>
    public string[] Cells() =>
    [
        Configuration, Ratio(LogWeightRatioInitial), Ratio(LogWeightRatioFinal), Number(LogDeltaRatioInitial),
        Number(LogDeltaRatioFinal), Number(FinalLoss, "0.000"), Number(TrainAccuracy, "0.000"), Number(TestAccuracy, "0.000"),
        Divergence,
    ];

    /// <summary>Weight ratios of a recurrent net are NaN by construction (<see cref="RecordQueries.LogFirstToLast"/>).</summary>
    string Ratio(double value) => double.IsNaN(value) && Recurrent ? "n/a" : Number(value);

    /// <summary>Whether the row is a recurrent net's: its ratios compare the first time step with the last.</summary>
    public bool Recurrent { get; init; }

    static string Number(double value, string format = "+0.00;-0.00;0.00") =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);
}
