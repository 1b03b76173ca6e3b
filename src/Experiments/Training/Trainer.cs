using Experiments.Data;
using Experiments.Diagnostics;
using Experiments.Models;
using Experiments.Records;
using Experiments.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Training;

/// <summary>
/// Trains one spec with its own generator (weights) and its own <see cref="Random"/> (batch order), so that
/// runs in parallel do not change each other's results, and tracks gradients at every step.
/// </summary>
public static class Trainer
{
    const int EvaluationBatch = 1000;

    /// <summary>Trains <paramref name="spec"/>; <paramref name="onEpoch"/> sees each epoch's record as it is made, and
    /// <paramref name="onStep"/> each measured batch (it only reads: the record is the same with or without it).
    /// Cancellation stops after the current step (once epoch 0 is measured) and returns the record so far, marked incomplete.</summary>
    public static RunRecord Run(ExperimentSpec spec, Action<EpochRecord>? onEpoch = null, CancellationToken cancel = default,
        Action<TrainingStep>? onStep = null)
    {
        var data = LoadData(spec);
        torch.set_num_threads(spec.Threads);
        var dtype = spec.Precision == Precision.Float64 ? float64 : float32;

        using var trainX = Inputs(data.Train, dtype);
        using var trainY = Labels(data.Train);
        using var testX = Inputs(data.Test, dtype);
        using var testY = Labels(data.Test);
        using var generator = new Generator((ulong)spec.Seed, CPU);
        using var model = BuildModel(spec, data.Train.PixelsPerImage, dtype, generator);
        using var optimizer = CreateOptimizer(spec, model);
        var tracker = new GradientTracker(model);
        var batchOrder = new Random(spec.Seed);

        var epochs = new List<EpochRecord>();
        Divergence? divergence = null;
        bool cancelled = false;
        long step = 0;
        for (int epoch = 0; epoch <= spec.Epochs && divergence is null && !cancelled; epoch++)
        {
            var statistics = new LayerStatistics(tracker.Layers);
            var batches = Batches(data.Train.Count, spec.BatchSize, batchOrder);
            if (epoch == 0) batches = batches.Take(spec.InitBatches).ToList();
            double lossSum = 0, correct = 0, seen = 0;
            int steps = 0;
            foreach (var batch in batches)
            {
                // Epoch 0 (a few measurement batches, no update) always completes, so every record has it.
                if (epoch > 0 && cancel.IsCancellationRequested) { cancelled = true; break; }
                using var scope = NewDisposeScope();
                using var index = tensor(batch);
                var x = trainX.index_select(0, index);
                var y = trainY.index_select(0, index);
                optimizer.ZeroGrad();
                var logits = model.forward(x);
                var loss = nn.functional.cross_entropy(logits, y);
                loss.backward();
                var gradients = tracker.MeasureGradients();
                double lossValue = loss.to(float64).item<double>();
                if (Diverged(lossValue, gradients) is { } reason)
                {
                    divergence = new Divergence(epoch, step, reason);
                    // The path to divergence: the epoch keeps its finite steps; a first step already non-finite is kept as it is.
                    if (steps > 0) break;
                }
                statistics.Add(gradients);
                lossSum += lossValue * batch.Length;
                long batchCorrect = logits.argmax(1).eq(y).sum().item<long>();
                correct += batchCorrect;
                seen += batch.Length;
                steps++;
                StepMeasurement? updates = null;
                if (divergence is null && epoch > 0) // epoch 0 measures the initial network: no update
                {
                    if (spec.ClipNorm is { } clip) nn.utils.clip_grad_norm_(model.parameters(), clip);
                    var before = tracker.CaptureWeights();
                    optimizer.Step();
                    updates = tracker.MeasureUpdates(before);
                    statistics.Add(updates);
                }
                onStep?.Invoke(new TrainingStep(epoch, step, steps - 1, batches.Count, lossValue, (double)batchCorrect / batch.Length,
                    gradients, updates, model));
                if (updates is not null) step++;
                if (divergence is not null) break;
            }
            if (steps == 0) break;
            var (testLoss, testAccuracy) = Evaluate(model, testX, testY);
            var record = new EpochRecord(epoch, steps, lossSum / seen, correct / seen, testLoss, testAccuracy,
                statistics.ToRecords());
            epochs.Add(record);
            onEpoch?.Invoke(record);
        }
        return new RunRecord(RunRecord.CurrentSchema, spec.Id, spec, EnvironmentInfo.Capture(spec.Threads),
            DataDescription.Of(spec, data), Prediction.For(spec, data.Train), epochs, divergence, Complete: !cancelled && divergence is null);
    }

    /// <summary>The spec's train and test sets, after checking the spec and that a batch fits in the training set.</summary>
    public static DataSplit LoadData(ExperimentSpec spec)
    {
        spec.Validate();
        var data = DataSource.Load(spec.Data, spec.Samples, spec.TestFraction, spec.Seed);
        if (data.Train.Count < spec.BatchSize)
            throw new SpecException($"--batch {spec.BatchSize}: expected at most the {data.Train.Count} training images");
        return data;
    }

    public static Mlp BuildModel(ExperimentSpec spec, int inputs, ScalarType dtype, Generator generator)
    {
        var model = new Mlp(new MlpOptions(inputs, 10, spec.Depth, spec.Width, spec.Activation, spec.Normalization, spec.Residual));
        // Drawn in float64, then rounded to the run's precision: libtorch's float64 random kernels give the same values on
        // every CPU (its float32 ones vectorise differently by CPU), and a float32 and a float64 run of one seed start from
        // the same network, so precision changes the arithmetic only.
        model.to(float64);
        foreach (var linear in model.Linears)
            Initializer.Apply(linear, spec.Init, spec.SigmaW2, spec.BiasSigma2, generator);
        model.to(dtype);
        model.train();
        return model;
    }

    static StepOptimizer CreateOptimizer(ExperimentSpec spec, Mlp model) => spec.Optimizer switch
    {
        OptimizerKind.Adam => new Adam(model.parameters(), spec.LearningRate),
        OptimizerKind.Sgd => new Sgd(model.parameters(), spec.LearningRate, spec.Momentum),
        _ => throw new SpecException($"--optimizer {spec.Optimizer}: expected adam or sgd"),
    };

    static string? Diverged(double loss, StepMeasurement gradients)
    {
        if (!double.IsFinite(loss)) return $"loss is {loss}";
        return gradients.FirstNonFinite is { } bad ? $"{bad.Metric} is {bad.Value} in layer {bad.Layer + 1}" : null;
    }

    /// <summary>Pixels scaled to [0, 1], one row per image.</summary>
    public static Tensor Inputs(Digits digits, ScalarType dtype)
    {
        using var bytes = tensor(digits.Pixels, [digits.Count, digits.PixelsPerImage]);
        return bytes.to(dtype).div_(Scalars.PixelScale);
    }

    public static Tensor Labels(Digits digits)
    {
        using var bytes = tensor(digits.Labels);
        return bytes.to(int64);
    }

    static List<long[]> Batches(int count, int batchSize, Random random)
    {
        var order = Enumerable.Range(0, count).Select(i => (long)i).ToArray();
        random.Shuffle(order);
        return order.Chunk(batchSize).ToList();
    }

    static (double Loss, double Accuracy) Evaluate(Mlp model, Tensor x, Tensor y)
    {
        model.eval();
        model.KeepActivations = false;
        double lossSum = 0, correct = 0;
        using (no_grad())
        {
            for (long start = 0; start < x.shape[0]; start += EvaluationBatch)
            {
                using var scope = NewDisposeScope();
                long length = Math.Min(EvaluationBatch, x.shape[0] - start);
                var logits = model.forward(x.narrow(0, start, length));
                var labels = y.narrow(0, start, length);
                lossSum += nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).to(float64).item<double>();
                correct += logits.argmax(1).eq(labels).sum().item<long>();
            }
        }
        model.KeepActivations = true;
        model.train();
        return (lossSum / x.shape[0], correct / x.shape[0]);
    }
}
