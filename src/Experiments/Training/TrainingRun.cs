using Experiments.Data;
using Experiments.Diagnostics;
using Experiments.Models;
using Experiments.Records;
using Experiments.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Training;

/// <summary>
/// The state of one run while it trains (data on the device, model, optimizer, tracker, batch order), and its three
/// parts: an epoch, a step, an evaluation. <see cref="Trainer.Run"/> drives it. Untracked (the bench's comparison), it
/// trains the same way without measuring the layers.
/// </summary>
sealed class TrainingRun : IDisposable
{
    const int EvaluationBatch = 1000;

    readonly ExperimentSpec spec;
    readonly Tensor trainX, trainY, testX, testY;
    readonly Generator generator;
    readonly TrackedModel model;
    readonly StepOptimizer optimizer;
    readonly IGradientTracker? tracker;
    readonly Random batchOrder;
    readonly IStepObserver? observer;
    long step;

    public Divergence? Divergence { get; private set; }
    public bool Cancelled { get; private set; }

    public TrainingRun(ExperimentSpec spec, DataSplit data, IStepObserver? observer, bool tracked = true)
    {
        this.spec = spec;
        this.observer = observer;
        var dtype = Trainer.DType(spec);
        (trainX, trainY) = (Trainer.Inputs(data.Train, dtype), Trainer.Labels(data.Train));
        (testX, testY) = (Trainer.Inputs(data.Test, dtype), Trainer.Labels(data.Test));
        generator = new Generator((ulong)spec.Seed, CPU);
        model = Trainer.BuildModel(spec, data.Train, dtype, generator);
        optimizer = Trainer.CreateOptimizer(spec, model);
        tracker = tracked ? IGradientTracker.For(model) : null;
        batchOrder = new Random(spec.Seed);
    }

    /// <summary>One epoch: its steps, then the test set. Epoch 0 measures the initial network on a few batches and takes
    /// no step. Null when no step completed (cancelled before the first).</summary>
    public EpochRecord? Epoch(int epoch, CancellationToken cancel)
    {
        var statistics = new LayerStatistics(tracker?.Layers ?? []);
        tracker?.BeginEpoch();
        var batches = Trainer.Batches(batchOrder, trainX.shape[0], spec.BatchSize);
        if (epoch == 0) batches = batches.Take(spec.InitBatches).ToList();
        double lossSum = 0, correct = 0, seen = 0;
        int steps = 0;
        foreach (var batch in batches)
        {
            // Epoch 0 (a few measurement batches, no update) always completes, so every record has it.
            if (epoch > 0 && cancel.IsCancellationRequested) { Cancelled = true; break; }
            var (loss, hits, finite) = Step(epoch, batch, statistics, keepNonFinite: steps == 0, (steps, batches.Count));
            if (!finite && steps > 0) break; // the path to divergence: the epoch keeps its finite steps
            lossSum += loss * batch.Length;
            correct += hits;
            seen += batch.Length;
            steps++;
            if (!finite) break; // a first step already non-finite is kept as it is
        }
        if (steps == 0) return null;
        var (testLoss, testAccuracy) = Evaluate();
        return new EpochRecord(epoch, steps, lossSum / seen, correct / seen, testLoss, testAccuracy, statistics.ToRecords());
    }

    /// <summary>Forward, backward, measurement, and (after epoch 0) the update. A non-finite loss or gradient records the
    /// divergence and takes no update; its measurement joins the statistics only when <paramref name="keepNonFinite"/>.</summary>
    (double Loss, long Hits, bool Finite) Step(int epoch, long[] batch, LayerStatistics statistics, bool keepNonFinite,
        (int Index, int Count) place)
    {
        using var scope = NewDisposeScope();
        using var index = tensor(batch);
        var x = trainX.index_select(0, index);
        var y = trainY.index_select(0, index);
        var logits = model.forward(x);
        var loss = nn.functional.cross_entropy(logits, y);
        model.Backward(loss);
        var gradients = tracker?.MeasureGradients() ?? StepMeasurement.None;
        double lossValue = loss.to(float64).item<double>();
        long hits = logits.argmax(1).eq(y).sum().item<long>();
        if (Diverged(lossValue, gradients) is { } reason)
        {
            Divergence = new Divergence(epoch, step, reason);
            if (keepNonFinite) statistics.Add(gradients);
            return (lossValue, hits, false);
        }
        statistics.Add(gradients);
        var view = new StepView(epoch, step, lossValue, model, gradients, (double)hits / batch.Length, place.Index, place.Count);
        observer?.AfterBackward(view);
        if (epoch == 0) return (lossValue, hits, true); // epoch 0 measures the initial network: no update
        optimizer.Step(tracker?.Changes);
        var updates = tracker?.MeasureUpdates() ?? StepMeasurement.None;
        statistics.Add(updates);
        observer?.AfterUpdate(view, updates);
        step++;
        return (lossValue, hits, true);
    }

    static string? Diverged(double loss, StepMeasurement gradients)
    {
        if (!double.IsFinite(loss)) return $"loss is {loss}";
        return gradients.FirstNonFinite is { } bad ? $"{bad.Metric} is {bad.Value} in layer {bad.Layer + 1}" : null;
    }

    (double Loss, double Accuracy) Evaluate() => Evaluate(model, testX, testY);

    /// <summary>Loss and accuracy of <paramref name="model"/> on a test set, in evaluation mode and without tracking.</summary>
    internal static (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, Tensor testX, Tensor testY)
    {
        var tracked = model as TrackedModel;
        bool keep = tracked?.KeepActivations ?? false;
        model.eval();
        if (tracked is not null) tracked.KeepActivations = false;
        double lossSum = 0, correct = 0;
        using (no_grad())
        {
            for (long start = 0; start < testX.shape[0]; start += EvaluationBatch)
            {
                using var scope = NewDisposeScope();
                long length = Math.Min(EvaluationBatch, testX.shape[0] - start);
                var logits = model.forward(testX.narrow(0, start, length));
                var labels = testY.narrow(0, start, length);
                lossSum += nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).to(float64).item<double>();
                correct += logits.argmax(1).eq(labels).sum().item<long>();
            }
        }
        if (tracked is not null) tracked.KeepActivations = keep;
        model.train();
        return (lossSum / testX.shape[0], correct / testX.shape[0]);
    }

    public void Dispose()
    {
        foreach (var disposable in new IDisposable[] { optimizer, model, generator, trainX, trainY, testX, testY }) disposable.Dispose();
    }
}
