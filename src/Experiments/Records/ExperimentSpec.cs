using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using System.Text.Json;
using Experiments.Models;

namespace Experiments.Records;

public enum OptimizerKind { Adam, Sgd }
public enum Precision { Float32, Float64 }

/// <summary>
/// Everything that decides a run's result. The defaults are the seed experiment's (Keras defaults):
/// Glorot-uniform weights, zero biases, width 128, Adam at 1e-3, batch 64, inputs in [0, 1].
/// </summary>
public sealed record ExperimentSpec
{
    /// <summary><c>sample</c> (the embedded 10,000 MNIST digits) or a folder of IDX files.</summary>
    public string Data { get; init; } = Experiments.Data.DataSource.Sample;
    /// <summary>How many images to draw (stratified) from the data's training pool; null takes all.</summary>
    public int? Samples { get; init; }
    /// <summary>Share of the drawn images held out for testing: the sample's; null for a folder, whose official test files are the test set.</summary>
    public double? TestFraction { get; init => field = Canonical(value); } = 0.2;
    public int Depth { get; init; } = 5;
    public int Width { get; init; } = 128;
    public Activation Activation { get; init; } = Activation.Relu;
    public Initialization Init { get; init; } = Initialization.GlorotUniform;
    /// <summary>Weight variance σ_w² for <see cref="Initialization.Normal"/> (gain² for orthogonal).</summary>
    public double? SigmaW2 { get; init => field = Canonical(value); }
    /// <summary>Bias variance σ_b²; 0 gives zero biases.</summary>
    public double BiasSigma2 { get; init => field = Canonical(value); }
    public Normalization Normalization { get; init; } = Normalization.None;
    public bool Residual { get; init; }
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    public double LearningRate { get; init => field = Canonical(value); } = 1e-3;
    /// <summary>Momentum for SGD.</summary>
    public double Momentum { get; init => field = Canonical(value); } = 0.9;
    public int BatchSize { get; init; } = 64;
    public int Epochs { get; init; } = 5;
    /// <summary>Clips the global gradient norm to this value before each update; null does not clip.</summary>
    public double? ClipNorm { get; init => field = Canonical(value); }
    /// <summary>Batches measured at initialisation (epoch 0), before any update.</summary>
    public int InitBatches { get; init; } = 4;
    public int Seed { get; init; } = 1;
    /// <summary>libtorch threads; 1 gives bit-identical reruns (README, "Data and platform notes").</summary>
    public int Threads { get; init; } = 1;
    public Precision Precision { get; init; } = Precision.Float32;

    /// <summary>
    /// One spelling per value, so that equal specs share an id: -0 is 0 (equal as numbers, but the JSON the id hashes
    /// writes "-0"). Adding +0 changes no other value, so the ids of every other spec stay as they were.
    /// </summary>
    static double Canonical(double value) => value + 0.0;
    static double? Canonical(double? value) => value + 0.0;

    /// <summary>A stable short id: the first 12 hex digits of the SHA-256 of the spec's JSON.</summary>
    [JsonIgnore]
    public string Id
    {
        get
        {
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(this, RecordJson.Compact);
            return Convert.ToHexStringLower(SHA256.HashData(json))[..12];
        }
    }

    /// <summary>A human-readable label, e.g. "relu, 20 hidden × 128, glorot-uniform, sgd, lr 0.01" (see <see cref="SpecNames"/>).</summary>
    [JsonIgnore]
    public string Label => SpecNames.Label(this);

    /// <summary>
    /// Checks every field; the message names the CLI option and what was expected. A value that would change nothing
    /// (σ_w² under Glorot, momentum under Adam) is refused rather than recorded as if it had been used, and a value
    /// libtorch cannot hold in the model's precision is refused before training rather than failing inside it.
    /// </summary>
    public ExperimentSpec Validate()
    {
        Require(Depth >= 1, "--depth", Depth, "a whole number of hidden layers, at least 1");
        Require(Width >= 1, "--width", Width, "a whole number, at least 1");
        Require(BatchSize >= 1, "--batch", BatchSize, "a whole number, at least 1");
        Require(Epochs >= 0, "--epochs", Epochs, "a whole number, at least 0");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), "--lr", LearningRate, "a positive number");
        // Adam's first step is lr/(1 − β₁) = 10·lr, which libtorch converts to the model's precision.
        Require(LearningRate <= Largest / 10, "--lr", LearningRate, $"a positive number of at most {Limit(Largest / 10)}");
        Require(Samples is null or >= 20, "--samples", Samples, "at least 20 images");
        if (Experiments.Data.DataSource.HasOfficialTest(Data))
            Require(TestFraction is null, "--data", Data, $"no test fraction ({Show(TestFraction)}): the folder's official test files are its test set");
        else
            Require(TestFraction is > 0 and < 1, "--test-fraction", TestFraction, "a fraction between 0 and 1");
        Require(SigmaW2 is null or > 0, "--sigma-w2", SigmaW2, "a positive weight variance");
        Require(SigmaW2 is null || SigmaW2 <= Largest, "--sigma-w2", SigmaW2, $"a positive weight variance of at most {Limit(Largest)}");
        Require(Init != Initialization.Normal || SigmaW2 is not null, "--sigma-w2", SigmaW2, "a value with --init normal");
        RequireUsed(SigmaW2 is null || SpecApplicability.SigmaW2Applies(Init), "--sigma-w2", SigmaW2,
            $"applies to --init normal or orthogonal, not {RecordJson.Name(Init)} (which sets its own variance)");
        Require(BiasSigma2 >= 0 && double.IsFinite(BiasSigma2), "--sigma-b2", BiasSigma2, "a non-negative bias variance");
        Require(BiasSigma2 <= Largest, "--sigma-b2", BiasSigma2, $"a non-negative bias variance of at most {Limit(Largest)}");
        RequireUsed(BiasSigma2 == 0 || SpecApplicability.BiasSigma2Applies(Init), "--sigma-b2", BiasSigma2,
            "does not apply to --init torch-default, which draws its biases from U(±1/√fan_in)");
        Require(ClipNorm is null or > 0, "--clip", ClipNorm, "a positive gradient norm");
        Require(ClipNorm is null || ClipNorm <= Largest, "--clip", ClipNorm, $"a positive gradient norm of at most {Limit(Largest)}");
        Require(Momentum is >= 0 and < 1, "--momentum", Momentum, "a number in [0, 1)");
        // libtorch holds these in the model's precision: a value below its smallest normal number is flushed to 0 or loses
        // its digits (lr 1e-320 gave update ratios of 0, σ_w² 1e-320 zero weights and NaN ratios), so it is refused here.
        RequireNormal(LearningRate, "--lr", "a positive number");
        RequireNormal(SigmaW2, "--sigma-w2", "a positive weight variance");
        RequireNormal(BiasSigma2, "--sigma-b2", "0 or a bias variance");
        RequireNormal(ClipNorm, "--clip", "a positive gradient norm");
        RequireNormal(Momentum, "--momentum", "0 or a momentum");
        RequireUsed(SpecApplicability.MomentumApplies(Optimizer) || Momentum == Defaults.Momentum, "--momentum", Momentum,
            $"applies to --optimizer sgd, not {RecordJson.Name(Optimizer)}");
        if (Residual && Depth < 2)
            throw new SpecException("--residual: expected --depth 2 or more (the skip starts at the second hidden block)");
        Require(InitBatches >= 1, "--init-batches", InitBatches, "at least 1");
        // libtorch starts that many threads per run: far past the cores, they only contend (and 2^31 would exhaust the machine).
        Require(Threads is >= 1 and <= MaxThreads, "--threads", Threads, $"a whole number from 1 to {MaxThreads}");
        return this;
    }

    static readonly ExperimentSpec Defaults = new();

    /// <summary>The most libtorch threads a run may ask for.</summary>
    public const int MaxThreads = 256;

    /// <summary>The smallest positive normal number of the model's precision.</summary>
    double SmallestNormal => Precision == Precision.Float64 ? 2.2250738585072014e-308 : 1.17549435e-38;

    void RequireNormal(double? value, string option, string expected)
    {
        if (value is { } v && v != 0 && Math.Abs(v) < SmallestNormal)
            throw new SpecException($"{option} {Show(v)}: too small for {RecordJson.Name(Precision)} (it would be flushed to 0 or lose its digits); " +
                                    $"expected {expected} of at least {Limit(SmallestNormal)}");
    }

    /// <summary>The largest value the model's precision holds: libtorch converts settings to it.</summary>
    double Largest => Precision == Precision.Float64 ? double.MaxValue : float.MaxValue;

    /// <summary>A limit as the precision writes it (3.4028235E+38 for float32, not its double expansion).</summary>
    string Limit(double value) => Precision == Precision.Float64 ? Show(value) : ((float)value).ToString(CultureInfo.InvariantCulture);

    static void Require(bool condition, string option, object? value, string expected) =>
        RequireUsed(condition, option, value, $"expected {expected}");

    static void RequireUsed(bool condition, string option, object? value, string message)
    {
        if (!condition) throw new SpecException($"{option} {Show(value)}: {message}");
    }

    static string Show(object? value) => value switch
    {
        null => "(none)",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>An experiment spec that cannot be run; the message names the option and what was expected.</summary>
public sealed class SpecException(string message) : BadInputException(message);
