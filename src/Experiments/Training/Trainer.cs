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
    /// <summary>Trains <paramref name="spec"/>; <paramref name="onEpoch"/> sees each epoch's record as it is made and
    /// <paramref name="observer"/> every step. Cancellation stops after the current step (once epoch 0 is measured) and
    /// returns the record so far, marked incomplete.</summary>
    public static RunRecord Run(ExperimentSpec spec, Action<EpochRecord>? onEpoch = null, CancellationToken cancel = default,
        IStepObserver? observer = null)
    {
        var data = LoadData(spec);
        torch.set_num_threads(spec.Threads);
        using var run = new TrainingRun(spec, data, observer);
        var epochs = new List<EpochRecord>();
        for (int epoch = 0; epoch <= spec.Epochs && run.Divergence is null && !run.Cancelled; epoch++)
        {
            if (run.Epoch(epoch, cancel) is not { } record) break;
            epochs.Add(record);
            onEpoch?.Invoke(record);
        }
        return new RunRecord(RunRecord.CurrentSchema, spec.Id, spec, EnvironmentInfo.Capture(spec.Threads),
            DataDescription.Of(spec, data), MeanFieldPredictor.For(spec, data.Train), epochs, run.Divergence,
            Complete: !run.Cancelled); // a diverged run is finished: its outcome is the divergence
    }

    /// <summary>The spec's train and test sets, after checking the spec and what only the data can tell: that the samples asked
    /// for exist, that the split leaves test images, and that a batch fits in the training set.</summary>
    public static DataSplit LoadData(ExperimentSpec spec)
    {
        spec.Validate();
        var pool = DataSource.Pool(spec.Data);
        if (spec.Samples > pool.Count) throw SpecFields.Samples.Refuse(spec.Samples, $"at most the {pool.Count} images of {pool.Source}");
        var data = DataSource.Load(spec.Data, spec.Samples, spec.TestFraction, spec.Seed);
        if (data.Test.Count == 0) // every test loss and accuracy would be NaN
            throw new SpecException($"{SpecFields.Samples.Option} {spec.Samples}: leaves no test images (a {spec.TestFraction:0.###} share of each " +
                                    $"class rounds to 0); expected at least {DataSource.SmallestWithTestImages(spec.Data, spec.Samples ?? pool.Count, spec.TestFraction ?? 0, spec.Seed)} samples");
        if (data.Train.Count < spec.BatchSize)
            throw SpecFields.BatchSize.Refuse(spec.BatchSize, $"at most the {data.Train.Count} training images");
        return data;
    }

    /// <summary>The spec's network for images like <paramref name="images"/> (an MLP takes their pixels, a recurrent net
    /// their rows), initialised from <paramref name="generator"/>.</summary>
    /// <param name="flat">Put the parameters in flat buffers (<see cref="TrackedModel.Flatten"/>), as the tracker and this
    /// project's optimizers need; false leaves a model as a TorchSharp user builds it.</param>
    public static TrackedModel BuildModel(ExperimentSpec spec, Digits images, ScalarType dtype, Generator generator, bool flat = true) =>
        spec.Model.IsRecurrent()
            ? Finish(new RecurrentNet(RecurrentShape(spec, images.Rows, images.Columns)),
                net => net.Initialize(spec.Init, spec.SigmaW2, spec.BiasSigma2, spec.RecurrentInit, spec.ForgetBias, generator), dtype, flat)
            : BuildMlp(spec, images.PixelsPerImage, dtype, generator, flat);

    /// <summary>The shape of the spec's recurrent net for images of <paramref name="rows"/> × <paramref name="columns"/> pixels:
    /// its time steps and inputs per step, for the model, the memory estimate, the bench's FLOPs and the theory alike.</summary>
    public static RecurrentOptions RecurrentShape(ExperimentSpec spec, int rows, int columns) =>
        new(spec.Model, spec.Sequence, rows, columns, spec.Width, Digits.Classes, spec.Activation);

    /// <summary>The spec's MLP for <paramref name="inputs"/> inputs (see <see cref="BuildModel"/>).</summary>
    public static Mlp BuildMlp(ExperimentSpec spec, int inputs, ScalarType dtype, Generator generator, bool flat = true) =>
        Finish(new Mlp(new MlpOptions(inputs, Digits.Classes, spec.Depth, spec.Width, spec.Activation, spec.Normalization, spec.Residual)),
            mlp => { foreach (var linear in mlp.Linears) Initializer.Apply(linear, spec.Init, spec.SigmaW2, spec.BiasSigma2, generator); },
            dtype, flat);

    /// <summary>
    /// Initialises a model in float64, then rounds it to the run's precision: libtorch's float64 random kernels give the same
    /// values on every CPU (its float32 ones vectorise differently by CPU), and a float32 and a float64 run of one seed start
    /// from the same network, so precision changes the arithmetic only.
    /// </summary>
    static T Finish<T>(T model, Action<T> initialize, ScalarType dtype, bool flat) where T : TrackedModel
    {
        model.to(float64);
        initialize(model);
        model.to(dtype);
        if (flat) model.Flatten();
        model.train();
        return model;
    }

    public static StepOptimizer CreateOptimizer(ExperimentSpec spec, TrackedModel model)
    {
        var flat = model.Flat ?? throw new InvalidOperationException("the model's parameters are not flat: build it with flat: true");
        return spec.Optimizer switch
        {
            OptimizerKind.Adam => new Adam(flat, spec.LearningRate, spec.ClipNorm),
            OptimizerKind.Sgd => new Sgd(flat, spec.LearningRate, spec.Momentum, spec.ClipNorm),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Optimizer, "an optimizer without an implementation"),
        };
    }

    /// <summary>The tensors' element type for the spec's precision.</summary>
    public static ScalarType DType(ExperimentSpec spec) => spec.Precision == Precision.Float64 ? float64 : float32;

    /// <summary>A fresh shuffle of <paramref name="count"/> examples from <paramref name="order"/>, cut into batches.</summary>
    public static List<long[]> Batches(Random order, long count, int batchSize)
    {
        var indices = Enumerable.Range(0, (int)count).Select(i => (long)i).ToArray();
        order.Shuffle(indices);
        return indices.Chunk(batchSize).ToList();
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
}
