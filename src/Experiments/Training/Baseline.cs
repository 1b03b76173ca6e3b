using Experiments.Data;
using Experiments.Models;
using Experiments.Records;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Training;

/// <summary>
/// Training as a TorchSharp user writes it, for the bench to compare tracked training against: the same model (its
/// parameters as TorchSharp makes them, not flat), data, batches and seed, TorchSharp's own optimizer, each step's loss
/// and hits read and the test set evaluated after each epoch, as <see cref="Trainer.Run"/> does, and nothing measured.
/// It creates TorchSharp's temporary Scalars: run it alone in its process, as the bench does.
/// </summary>
public sealed class Baseline : IDisposable
{
    readonly ExperimentSpec spec;
    readonly Tensor x, y, testX, testY;
    readonly Generator generator;
    readonly nn.Module<Tensor, Tensor> model;
    readonly optim.Optimizer optimizer;
    readonly Random order;

    public Baseline(ExperimentSpec spec, DataSplit data)
    {
        this.spec = spec;
        var dtype = Trainer.DType(spec);
        (x, y) = (Trainer.Inputs(data.Train, dtype), Trainer.Labels(data.Train));
        (testX, testY) = (Trainer.Inputs(data.Test, dtype), Trainer.Labels(data.Test));
        generator = new Generator((ulong)spec.Seed, CPU);
        var built = Trainer.BuildModel(spec, data.Train, dtype, generator, flat: false);
        // A recurrent net's baseline is TorchSharp's fused module, started from the same weights.
        model = built is RecurrentNet net ? new TorchRecurrent(net) : built;
        if (!ReferenceEquals(model, built)) built.Dispose();
        optimizer = spec.Optimizer == OptimizerKind.Sgd
            ? optim.SGD(model.parameters(), spec.LearningRate, spec.Momentum)
            : optim.Adam(model.parameters(), spec.LearningRate);
        order = new Random(spec.Seed);
        Trainer.Batches(order, data.Train.Count, spec.BatchSize); // tracked training draws its epoch 0's order first: stay in step
    }

    /// <summary>One epoch of training, then the test set; false when cancelled before its end.</summary>
    public bool Epoch(CancellationToken cancel)
    {
        double lossSum = 0, hits = 0;
        foreach (var batch in Trainer.Batches(order, x.shape[0], spec.BatchSize))
        {
            if (cancel.IsCancellationRequested) return false;
            using var scope = NewDisposeScope();
            using var index = tensor(batch);
            var labels = y.index_select(0, index);
            optimizer.zero_grad();
            var logits = model.forward(x.index_select(0, index));
            var loss = nn.functional.cross_entropy(logits, labels);
            loss.backward();
            lossSum += loss.to(float64).item<double>() * batch.Length;
            hits += logits.argmax(1).eq(labels).sum().item<long>();
            if (spec.ClipNorm is { } clip) nn.utils.clip_grad_norm_(model.parameters(), clip);
            optimizer.step();
        }
        TrainingRun.Evaluate(model, testX, testY);
        return true;
    }

    /// <summary>Floating-point operations of one training epoch's matrix products: 2 per weight and example forward, 4 backward
    /// (a recurrent net uses W_ih and W_hh once a time step).</summary>
    public static double FlopsPerEpoch(ExperimentSpec spec, DataSplit data)
    {
        var images = data.Train;
        double readout = spec.Width * (double)Digits.Classes;
        double weightsUsed = spec.Model.IsRecurrent() && Trainer.RecurrentShape(spec, images.Rows, images.Columns) is var shape
            ? shape.Steps * (shape.InputsPerStep + (double)spec.Width) * spec.Model.Gates() * spec.Width + readout
            : images.PixelsPerImage * (double)spec.Width + (spec.Depth - 1) * (double)spec.Width * spec.Width + readout;
        return 6.0 * images.Count * weightsUsed;
    }

    public void Dispose()
    {
        foreach (var disposable in new IDisposable[] { optimizer, model, generator, x, y, testX, testY }) disposable.Dispose();
    }
}
