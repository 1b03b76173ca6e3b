using Experiments.Diagnostics;
using Experiments.Models;
using Experiments.Records;
using Experiments.Training.Events;
using static TorchSharp.torch;

namespace Experiments.Training;

/// <summary>
/// Writes one run's TensorBoard event files (<see cref="EventFileWriter"/>): the run's own folder holds the per-step loss
/// and batch accuracy and the per-epoch test loss and accuracy; one sub-folder per layer (<c>layer01</c>, ...) holds that
/// layer's per-step ‖∂L/∂W‖, ‖δ‖ and update ratio under the metric's name, so that TensorBoard draws one chart per metric
/// with a line per layer. Every <see cref="HistogramEvery"/> steps it adds histograms of each layer's weight gradient and δ.
/// The x of every point is the number of updates made: a step's values sit at 1, 2, ... (its own update counted), and an
/// epoch's test values at the count by its end, the same x as its last step's (never the next epoch's first). Epoch 0 (the
/// initial network, no update) is not logged. Files are opened once and flushed at each epoch's end and on
/// <see cref="Dispose"/>. A write that fails (a full disk) stops the logging, not the training: <see cref="Failure"/> says why.
/// </summary>
public sealed class TensorBoardLog : IStepObserver, IDisposable
{
    /// <summary>Steps between histograms: five per epoch of the default job (125 steps: batch 64, 8,000 training images).</summary>
    public const int HistogramEvery = 25;
    public const string Loss = "loss/train_step";
    public const string Accuracy = "accuracy/train_step";
    public const string TestLoss = "loss/test";
    public const string TestAccuracy = "accuracy/test";
    public const string WeightGradHistogram = "histogram/weight_grad";
    public const string DeltaHistogram = "histogram/delta";
    /// <summary>The per-layer metrics written each step, tagged with their record names.</summary>
    public static readonly IReadOnlyList<Metric> StepMetrics = [Metric.WeightGradNorm, Metric.DeltaNorm, Metric.UpdateRatio];

    readonly string folder;
    readonly List<EventFileWriter> layers = new();
    EventFileWriter? run;
    long updates; // updates made so far: the x of every point
    bool disposed;

    /// <summary>Why logging stopped (the first write that failed), or null while it goes on.</summary>
    public string? Failure { get; private set; }

    public TensorBoardLog(string folder)
    {
        this.folder = folder;
        Guard(() => run = new EventFileWriter(folder));
    }

    /// <summary>The sub-folder of layer <paramref name="layer"/> (counted from 0 here, named from 1 as in the records).</summary>
    public static string LayerFolder(int layer) => $"layer{layer + 1:00}";

    /// <summary>The sub-folder of a record's row: an MLP's layer (<see cref="LayerFolder"/>), a recurrent net's time step
    /// (<c>step01</c>, ...) or weight matrix (<c>input</c>, <c>recurrent</c>, <c>output</c>).</summary>
    public static string RowFolder(TrackedModel model, int row) => model is RecurrentNet net
        ? row < net.Options.Steps ? $"step{row + 1:00}" : RecurrentRows[row - net.Options.Steps]
        : LayerFolder(row);

    static readonly string[] RecurrentRows = [LayerRecord.Input, LayerRecord.RecurrentWeights, LayerRecord.Output];

    /// <summary>Histograms, every <see cref="HistogramEvery"/> steps of training, of the gradients before any clipping; they sit
    /// at the x of the update they lead to.</summary>
    public void AfterBackward(StepView step)
    {
        if (step.Epoch == 0 || step.Step % HistogramEvery != 0) return; // epoch 0 takes no step: nothing is logged
        Guard(() =>
        {
            if (step.Model is Mlp mlp)
                for (int l = 0; l < mlp.Linears.Count; l++)
                {
                    Histogram(Layer(mlp, l), WeightGradHistogram, mlp.Linears[l].weight!.grad!, step.Step + 1);
                    Histogram(Layer(mlp, l), DeltaHistogram, mlp.PreActivations[l].grad!, step.Step + 1);
                }
            else if (step.Model is RecurrentNet net)
            {
                int steps = net.Options.Steps;
                for (int t = 0; t < steps; t++) Histogram(Layer(net, t), DeltaHistogram, net.Deltas[t], step.Step + 1);
                for (int w = 0; w < net.Layers.Count; w++)
                    Histogram(Layer(net, steps + w), WeightGradHistogram, net.Layers[w].weight!.grad!, step.Step + 1);
            }
        });
    }

    /// <summary>The step's scalars, once its update is made (a step that diverged makes none, and is not logged).</summary>
    public void AfterUpdate(StepView step, StepMeasurement updateMeasurement)
    {
        updates = step.Step + 1;
        Guard(() =>
        {
            run!.Scalar(Loss, (float)step.Loss, updates);
            run.Scalar(Accuracy, (float)step.Accuracy, updates);
            foreach (var (layer, metric, value) in step.Gradients.Values.Concat(updateMeasurement.Values))
                if (StepMetrics.Contains(metric)) Layer(step.Model, layer).Scalar(metric.Name, (float)value, updates);
        });
    }

    public void OnEpoch(EpochRecord epoch)
    {
        if (epoch.Epoch == 0) return;
        Guard(() =>
        {
            run!.Scalar(TestLoss, (float)epoch.TestLoss, updates);
            run.Scalar(TestAccuracy, (float)epoch.TestAccuracy, updates);
            run.Flush();
            foreach (var layer in layers) layer.Flush();
        });
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        Guard(() =>
        {
            run?.Flush();
            foreach (var layer in layers) layer.Flush();
        });
        foreach (var writer in layers.Prepend(run).OfType<EventFileWriter>())
        {
            try { writer.Dispose(); }
            catch (IOException) { } // what could not be flushed is already said in Failure
        }
    }

    /// <summary>A non-finite value has no histogram (TensorBoard rejects it); the step's scalars show it.</summary>
    static void Histogram(EventFileWriter writer, string tag, Tensor values, long step)
    {
        if (PowerOfTwoHistogram.Of(values) is { } histogram) writer.Histogram(tag, histogram, step);
    }

    EventFileWriter Layer(TrackedModel model, int layer)
    {
        while (layers.Count <= layer) layers.Add(new EventFileWriter(Path.Combine(folder, RowFolder(model, layers.Count))));
        return layers[layer];
    }

    /// <summary>Runs a write unless one has failed; the first failure is kept and ends the logging.</summary>
    void Guard(Action write)
    {
        if (Failure is not null) return;
        try { write(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Failure = $"TensorBoard event files in {folder}: {e.Message}";
        }
    }
}
