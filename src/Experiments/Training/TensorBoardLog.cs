using Experiments.Diagnostics;
using Experiments.Records;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Training;

/// <summary>
/// Writes one run's TensorBoard event files with TorchSharp's <see cref="SummaryWriter"/>: the run's own folder holds
/// the per-step loss and batch accuracy and the per-epoch test loss and accuracy; one sub-folder per layer
/// (<c>layer01</c>, ...) holds that layer's per-step ‖∂L/∂W‖, ‖δ‖ and update ratio under the metric's name, so that
/// TensorBoard draws one chart per metric with a line per layer. Every <see cref="HistogramEvery"/> steps it adds
/// histograms of each layer's weight gradient and δ. Steps are counted in updates; epoch 0 (the initial network,
/// no update) is not logged; the test values of an epoch sit at the number of updates made by its end. Used by the
/// worker that trains the run, on its training thread, and by <c>bench --tensorboard</c>. TorchSharp's
/// <c>add_histogram</c> makes a few temporary Scalars of its own (every k steps, not every step): safe in a worker,
/// whose training thread is the only one that allocates, and in the single-threaded bench.
/// </summary>
public sealed class TensorBoardLog : IStepObserver
{
    /// <summary>Steps between histograms: five per epoch of the default job (125 steps: batch 64, 8,000 training images).
    /// A histogram costs several steps' worth of writing (bench --tensorboard), so they are not written every step.</summary>
    public const int HistogramEvery = 25;
    /// <summary>Merges TorchSharp's default buckets (TensorFlow's: limits ×1.1 apart from 1e-12 to 1e20, 1,548 buckets) by
    /// sevens (1,548 / 200 = 7): limits about 2× apart (1.1⁷ ≈ 1.95), and histogram events about 7× smaller.</summary>
    const long MaxBins = 200;
    public const string Loss = "loss/train_step";
    public const string Accuracy = "accuracy/train_step";
    public const string TestLoss = "loss/test";
    public const string TestAccuracy = "accuracy/test";
    public const string WeightGradHistogram = "histogram/weight_grad";
    public const string DeltaHistogram = "histogram/delta";
    /// <summary>The per-layer metrics written each step, tagged with their record names.</summary>
    public static readonly IReadOnlyList<Metric> StepMetrics = [Metric.WeightGradNorm, Metric.DeltaNorm, Metric.UpdateRatio];

    readonly SummaryWriter run;
    readonly List<SummaryWriter> layers = new();
    readonly string folder;
    int updates; // steps made so far: the x of the per-epoch test values

    public TensorBoardLog(string folder) => run = utils.tensorboard.SummaryWriter(this.folder = folder);

    /// <summary>The sub-folder of layer <paramref name="layer"/> (counted from 0 here, named from 1 as in the records).</summary>
    public static string LayerFolder(int layer) => $"layer{layer + 1:00}";

    /// <summary>Histograms, every <see cref="HistogramEvery"/> steps of training, of the gradients before any clipping.</summary>
    public void AfterBackward(StepView step)
    {
        if (step.Epoch == 0 || step.Step % HistogramEvery != 0) return; // epoch 0 takes no step: nothing is logged
        int global = checked((int)step.Step);
        using var scope = NewDisposeScope();
        for (int l = 0; l < step.Model.Linears.Count; l++)
        {
            Histogram(Layer(l), WeightGradHistogram, step.Model.Linears[l].weight!.grad!, global);
            Histogram(Layer(l), DeltaHistogram, step.Model.PreActivations[l].grad!, global);
        }
    }

    /// <summary>The step's scalars, once its update is made (a step that diverged makes none, and is not logged).</summary>
    public void AfterUpdate(StepView step, StepMeasurement updateMeasurement)
    {
        int global = checked((int)step.Step);
        updates = global + 1;
        run.add_scalar(Loss, (float)step.Loss, global);
        run.add_scalar(Accuracy, (float)step.Accuracy, global);
        foreach (var (layer, metric, value) in step.Gradients.Values.Concat(updateMeasurement.Values))
            if (StepMetrics.Contains(metric)) Layer(layer).add_scalar(metric.Name, (float)value, global);
    }

    public void OnEpoch(EpochRecord epoch)
    {
        if (epoch.Epoch == 0) return;
        run.add_scalar(TestLoss, (float)epoch.TestLoss, updates);
        run.add_scalar(TestAccuracy, (float)epoch.TestAccuracy, updates);
    }

    /// <summary>A non-finite value has no histogram (TensorBoard rejects it); the step's scalars show it.</summary>
    static void Histogram(SummaryWriter writer, string tag, Tensor values, int step)
    {
        using var copy = values.detach().to(float64);
        if (copy.isfinite().all().item<bool>()) writer.add_histogram(tag, copy, step, max_bins: MaxBins);
    }

    SummaryWriter Layer(int layer)
    {
        while (layers.Count <= layer) layers.Add(utils.tensorboard.SummaryWriter(Path.Combine(folder, LayerFolder(layers.Count))));
        return layers[layer];
    }
}
