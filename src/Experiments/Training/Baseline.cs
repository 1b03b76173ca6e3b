using Experiments.Data;
using Experiments.Records;
using Experiments.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Training;

/// <summary>
/// Training without tracking, for the bench to compare tracked training against: the same model, data, batches and
/// seed, with either TorchSharp's own optimizer (the loop a TorchSharp user writes) or this project's fused one.
/// It creates TorchSharp's temporary Scalars: run it alone in its process, as the bench does.
/// </summary>
public static class Baseline
{
    public enum Optimizer { TorchSharp, Fused }

    /// <summary>Trains <paramref name="epochs"/> epochs; returns the clock (seconds) at the end of each.</summary>
    public static IReadOnlyList<double> EpochEnds(ExperimentSpec spec, Optimizer optimizer, int epochs, CancellationToken cancel)
    {
        var data = Trainer.LoadData(spec);
        torch.set_num_threads(spec.Threads);
        var dtype = spec.Precision == Precision.Float64 ? float64 : float32;
        using var x = Trainer.Inputs(data.Train, dtype);
        using var y = Trainer.Labels(data.Train);
        using var generator = new Generator((ulong)spec.Seed, CPU);
        using var model = Trainer.BuildModel(spec, data.Train.PixelsPerImage, dtype, generator, flat: optimizer == Optimizer.Fused);
        model.KeepActivations = false;
        using var fused = optimizer == Optimizer.Fused ? Trainer.CreateOptimizer(spec, model) : null;
        var theirs = optimizer == Optimizer.TorchSharp ? TorchSharpOptimizer(spec, model) : null;
        var order = new Random(spec.Seed);
        var ends = new List<double>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int epoch = 0; epoch < epochs && !cancel.IsCancellationRequested; epoch++)
        {
            var indices = Enumerable.Range(0, data.Train.Count).Select(i => (long)i).ToArray();
            order.Shuffle(indices);
            foreach (var batch in indices.Chunk(spec.BatchSize))
            {
                if (cancel.IsCancellationRequested) break;
                using var scope = NewDisposeScope();
                using var index = tensor(batch);
                if (fused != null) fused.ZeroGrad(); else theirs!.zero_grad();
                nn.functional.cross_entropy(model.forward(x.index_select(0, index)), y.index_select(0, index)).backward();
                if (spec.ClipNorm is { } clip && theirs != null) nn.utils.clip_grad_norm_(model.parameters(), clip);
                if (fused != null) fused.Step(); else theirs!.step();
            }
            if (!cancel.IsCancellationRequested) ends.Add(clock.Elapsed.TotalSeconds);
        }
        return ends;
    }

    static optim.Optimizer TorchSharpOptimizer(ExperimentSpec spec, Models.Mlp model) => spec.Optimizer == OptimizerKind.Sgd
        ? optim.SGD(model.parameters(), spec.LearningRate, spec.Momentum)
        : optim.Adam(model.parameters(), spec.LearningRate);

    /// <summary>Floating-point operations of one training epoch's matrix products: 2 per weight and example forward, 4 backward.</summary>
    public static double FlopsPerEpoch(ExperimentSpec spec, DataSplit data) =>
        6.0 * data.Train.Count * (data.Train.PixelsPerImage * (double)spec.Width + (spec.Depth - 1) * (double)spec.Width * spec.Width
                                  + spec.Width * (double)Digits.Classes);
}
