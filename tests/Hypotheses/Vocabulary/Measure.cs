using Experiments.Diagnostics;
using Experiments.Phase;
using Experiments.Plotting;
using Experiments.Records;
using Experiments.Theory;
using Experiments.Training;

namespace Hypotheses.Vocabulary;

/// <summary>One number read off a run record, with a name that says what it is.</summary>
public sealed record Measure(string Name, Func<RunRecord, double> Read)
{
    /// <summary>log10(first hidden / last hidden) of ‖δ‖ at an epoch (0 = initialisation; -1 = the last).</summary>
    public static Measure LogDeltaRatio(int epoch) => LogRatio(Metric.DeltaNorm, epoch);

    /// <summary>log10(first hidden / last hidden) of ‖∂L/∂W‖ at an epoch (0 = initialisation; -1 = the last).</summary>
    public static Measure LogWeightRatio(int epoch) => LogRatio(Metric.WeightGradNorm, epoch);

    public static Measure LogRatio(string metric, int epoch) => new(
        $"log10 first/last-hidden {metric} at {EpochName(epoch)}",
        r => At(r, epoch).LogFirstToLast(metric));

    /// <summary>How many decades a metric's epoch means span across every hidden layer at an epoch: log10(largest / smallest).
    /// 0 is level; a claim about "across layers" (not just first against last) asserts on this.</summary>
    public static Measure LogSpread(string metric, int epoch) => new(
        $"log10 largest/smallest hidden-layer {metric} at {EpochName(epoch)}",
        r => Spread(At(r, epoch), metric, r));

    /// <summary>The largest <see cref="LogSpread"/> of a metric over every epoch (epoch 0 included).</summary>
    public static Measure MaxLogSpread(string metric) => new(
        $"max over epochs of log10 largest/smallest hidden-layer {metric}",
        r => r.Epochs.Select(e => Spread(e, metric, r)).Largest($"the epochs of {r.Spec.Label}"));

    /// <summary>The least-squares slope of log10 of a metric's epoch mean against hidden-layer index, at an epoch: decades
    /// gained per layer toward the output (positive: smaller on the input side, as when gradients vanish).</summary>
    public static Measure LogSlope(string metric, int epoch) => new(
        $"slope of log10 hidden-layer {metric} per layer at {EpochName(epoch)}",
        r => Slope(At(r, epoch).HiddenLayers().Select(l => Math.Log10(l.Mean(metric))).ToList(), r));

    /// <summary>The largest |log10 first/last ratio| of a metric over every epoch: how far from flat the profile ever gets.</summary>
    public static Measure WorstAbsLogRatio(string metric) => new(
        $"max over epochs of |log10 first/last-hidden {metric}|",
        r => r.Epochs.Select(e => Math.Abs(e.LogFirstToLast(metric))).Largest($"the epochs of {r.Spec.Label}"));

    /// <summary>The smallest (most negative) log10 first/last ratio of a metric over every epoch.</summary>
    public static Measure MinLogRatio(string metric) => new(
        $"min over epochs of log10 first/last-hidden {metric}",
        r => r.Epochs.Select(e => e.LogFirstToLast(metric)).Smallest($"the epochs of {r.Spec.Label}"));

    /// <summary>The largest log10 first/last ratio of a metric over every epoch (epoch 0 included): below a threshold means every epoch is.</summary>
    public static Measure MaxLogRatio(string metric) => new(
        $"max over epochs of log10 first/last-hidden {metric}",
        r => r.Epochs.Select(e => e.LogFirstToLast(metric)).Largest($"the epochs of {r.Spec.Label}"));

    /// <summary>log10 of layer 1's epoch-mean metric at the last epoch minus at epoch 1: its trend over training.</summary>
    public static Measure FirstLayerTrend(string metric) => new(
        $"log10 change of layer 1 {metric} from epoch 1 to the last epoch",
        r => Math.Log10(r.Final.Layers[0].Mean(metric) / r.Epochs[1].Layers[0].Mean(metric)));

    /// <summary>The largest |log10 change| of any layer's epoch-mean metric from epoch 1 to any later epoch: how much gradient magnitudes move while training.</summary>
    public static Measure MaxLayerDrift(string metric) => new(
        $"max over layers and epochs of |log10 {metric} / its epoch-1 value|",
        r => r.Epochs.Skip(2).SelectMany(e => e.Layers.Select(l => Math.Abs(Math.Log10(l.Mean(metric) / r.Epochs[1].Layers[l.Layer - 1].Mean(metric)))))
            .Largest($"epochs after epoch 1 of {r.Spec.Label}"));

    /// <summary>The largest single-step update ratio ‖ΔW‖/‖W‖ of any layer over training.</summary>
    public static Measure MaxUpdateRatio => new(
        "max over steps and layers of ‖ΔW‖/‖W‖",
        r => r.Epochs.Skip(1).SelectMany(e => e.Layers).Select(l => l.Metrics[Metric.UpdateRatio].Max).Largest($"the training epochs of {r.Spec.Label}"));

    /// <summary>Measured minus mean-field-predicted log10 first/last-hidden δ ratio at initialisation (the record's prediction).</summary>
    public static Measure DeltaResidualFromTheory => new(
        "measured − mean-field log10 first/last-hidden delta_norm at initialisation",
        r => r.Initial.LogFirstToLast(Metric.DeltaNorm) - r.Prediction!.LogDeltaProfile[0]);

    /// <summary>log10 ‖∂L/∂W‖ of hidden layer 2 over the last hidden layer at initialisation: layers of equal fan-in.</summary>
    public static Measure LogWeightRatioBetweenEqualLayers => new(
        "log10 weight_grad_norm hidden layer 2 / last hidden layer at initialisation",
        r => Math.Log10(r.Initial.Layers[1].Mean(Metric.WeightGradNorm) / r.Initial.HiddenLayers().Last().Mean(Metric.WeightGradNorm)));

    /// <summary>A recurrent net's log10 ‖δ_1‖ / ‖δ_T‖ at an epoch (0 = initialisation; -1 = the last): through time,
    /// first time step against last.</summary>
    public static Measure LogDeltaThroughTime(int epoch) => new(
        $"log10 first/last time step delta_norm at {EpochName(epoch)}",
        r => At(r, epoch).LogFirstToLast(Metric.DeltaNorm));

    /// <summary>log10 of a recurrent net's largest ‖δ_t‖ over its last ‖δ_T‖ at an epoch: how far δ grows back through
    /// time (0 when it never exceeds the last step's). Blank first rows of a digit give a ReLU net δ_t = 0 exactly there,
    /// which a first/last ratio would turn into −∞.</summary>
    public static Measure LogDeltaPeakThroughTime(int epoch) => new(
        $"log10 largest/last time step delta_norm at {EpochName(epoch)}",
        r => At(r, epoch).DepthRows().Select(l => Math.Log10(l.Mean(Metric.DeltaNorm) / At(r, epoch).DepthRows().Last().Mean(Metric.DeltaNorm)))
            .Largest($"the time steps of {r.Spec.Label}"));

    /// <summary>log10 of a recurrent net's smallest ‖δ_t‖ over its last ‖δ_T‖ at an epoch, among the steps δ reaches at all
    /// (‖δ_t‖ &gt; 0): how far δ shrinks back through time where it flows. A ReLU net's state is exactly 0 through a
    /// digit's blank top rows, so no gradient flows there, whatever the weights.</summary>
    public static Measure LogDeltaFloorThroughTime(int epoch) => new(
        $"log10 smallest non-zero/last time step delta_norm at {EpochName(epoch)}",
        r => At(r, epoch).DepthRows().Select(l => l.Mean(Metric.DeltaNorm)).Where(d => d != 0)
            .Select(d => Math.Log10(d / At(r, epoch).DepthRows().Last().Mean(Metric.DeltaNorm))).Smallest($"the time steps of {r.Spec.Label}"));

    /// <summary>Measured minus mean-field-predicted log10 ‖δ_1‖ / ‖δ_T‖ of a vanilla RNN at initialisation (the record's
    /// prediction: RecurrentMeanField on the run's own training images, row by row).</summary>
    public static Measure DeltaThroughTimeResidualFromTheory => new(
        "measured − mean-field log10 first/last time step delta_norm at initialisation",
        r => r.Initial.LogFirstToLast(Metric.DeltaNorm) - r.Prediction!.LogDeltaProfile[0]);

    /// <summary>The phase diagram's measure (<see cref="Experiments.Phase.PhaseGrid.Accuracy"/>).</summary>
    public static Measure TrainAccuracy => new("training accuracy over the last epoch", Experiments.Phase.PhaseGrid.Accuracy);

    public static Measure TestAccuracy => new("test accuracy after the last epoch", r => r.Final.TestAccuracy);

    /// <summary>1 if training diverged (non-finite loss or gradient), else 0.</summary>
    public static Measure Diverged => new("diverged (1) or not (0)", r => r.Diverged ? 1 : 0);

    static double Spread(EpochRecord epoch, string metric, RunRecord r)
    {
        var logs = epoch.HiddenLayers().Select(l => Math.Log10(l.Mean(metric))).ToList();
        string what = $"the hidden layers of {r.Spec.Label}";
        return logs.Largest(what) - logs.Smallest(what);
    }

    static double Slope(IReadOnlyList<double> logs, RunRecord r)
    {
        if (logs.Count < 2) throw new InvalidOperationException($"the hidden layers of {r.Spec.Label}: a slope needs two or more");
        double meanX = (logs.Count - 1) / 2.0, meanY = logs.Average();
        double covariance = logs.Select((y, x) => (x - meanX) * (y - meanY)).Sum();
        double variance = Enumerable.Range(0, logs.Count).Sum(x => (x - meanX) * (x - meanX));
        return covariance / variance; // NaN or ±∞ in, NaN or ±∞ out: the assertion refuses it
    }

    static EpochRecord At(RunRecord record, int epoch) => epoch < 0 ? record.Epochs[^1] : record.Epochs[epoch];

    static string EpochName(int epoch) => epoch switch { 0 => "initialisation", < 0 => "the last epoch", _ => $"epoch {epoch}" };
}
