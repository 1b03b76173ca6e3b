using System.Security.Cryptography;
using System.Text;
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
    /// <summary>The network: the MLP, or a recurrent net reading each image row by row.</summary>
    public ModelKind Model { get; init; } = ModelKind.Mlp;
    /// <summary>The MLP's hidden layers (a recurrent net has one recurrent layer: 1).</summary>
    public int Depth { get; init; } = 5;
    public int Width { get; init; } = 128;
    public Activation Activation { get; init; } = Activation.Relu;
    public Initialization Init { get; init; } = Initialization.GlorotUniform;
    /// <summary>Weight variance σ_w² for <see cref="Initialization.Normal"/> (gain² for orthogonal).</summary>
    public double? SigmaW2 { get; init => field = Canonical(value); }
    /// <summary>Bias variance σ_b²; 0 gives zero biases.</summary>
    public double BiasSigma2 { get; init => field = Canonical(value); }
    /// <summary>How a recurrent net reads an image: by rows, or pixel by pixel (shrunk to 14×14).</summary>
    public Sequence Sequence { get; init; } = Sequence.Rows;
    /// <summary>How a recurrent net's W_hh starts.</summary>
    public RecurrentInitialization RecurrentInit { get; init; } = RecurrentInitialization.Orthogonal;
    /// <summary>The LSTM's forget-gate bias (Keras' unit_forget_bias: 1).</summary>
    public double ForgetBias { get; init => field = Canonical(value); } = 1;
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
    /// <summary>libtorch threads; 1 gives bit-identical reruns (README, "Data and platform notes").</summary>
    public int Threads { get; init; } = 1;
    public Precision Precision { get; init; } = Precision.Float32;
    /// <summary>Last, so that a grid's seeds of one configuration sit together (the fields' order is the grid's).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// One spelling per value, so that equal specs share an id: -0 is 0 (equal as numbers, but the JSON the id hashes
    /// writes "-0"). Adding +0 changes no other value, so the ids of every other spec stay as they were.
    /// </summary>
    static double Canonical(double value) => value + 0.0;
    static double? Canonical(double? value) => value + 0.0;

    /// <summary>
    /// A stable short id: the first 12 hex digits of the SHA-256 of the spec's JSON, without the fields at their defaults, so
    /// that adding a field (at a default that keeps what runs did before) changes no existing id.
    /// </summary>
    [JsonIgnore]
    public string Id => IdOf(JsonSerializer.SerializeToUtf8Bytes(this, RecordJson.Compact), DefaultValues);

    /// <summary>The defaults' JSON values by property name, as the spec's JSON writes them.</summary>
    internal static readonly IReadOnlyDictionary<string, string> DefaultValues = Properties(JsonSerializer.SerializeToUtf8Bytes(new ExperimentSpec(), RecordJson.Compact));

    /// <summary>The id of a spec's compact JSON: its properties that differ from <paramref name="defaults"/>, in order, hashed.</summary>
    internal static string IdOf(byte[] json, IReadOnlyDictionary<string, string> defaults)
    {
        var differing = Properties(json).Where(p => !defaults.TryGetValue(p.Key, out string? byDefault) || byDefault != p.Value);
        return Hash(string.Join(",", differing.Select(p => $"\"{p.Key}\":{p.Value}")));
    }

    /// <summary>The first 12 hex digits of the SHA-256 of the JSON object with these properties (compact, as the serializer writes it).</summary>
    static string Hash(string properties) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("{" + properties + "}")))[..12];

    static Dictionary<string, string> Properties(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
    }

    /// <summary>The id as it was computed before ids left out the fields at their defaults: a hash of the whole JSON of the
    /// fields there were then, in their order then (the seed before threads and precision). A results folder written then
    /// is still found by a sweep resumed now.</summary>
    [JsonIgnore]
    public string FormerId
    {
        get
        {
            var properties = Properties(JsonSerializer.SerializeToUtf8Bytes(this, RecordJson.Compact));
            return Hash(string.Join(",", FormerFields.Select(name => $"\"{name}\":{properties[name]}")));
        }
    }

    static readonly string[] FormerFields =
    [
        "data", "samples", "testFraction", "depth", "width", "activation", "init", "sigmaW2", "biasSigma2", "normalization", "residual",
        "optimizer", "learningRate", "momentum", "batchSize", "epochs", "clipNorm", "initBatches", "seed", "threads", "precision",
    ];

    /// <summary>A human-readable label, e.g. "relu, 20 hidden × 128, glorot-uniform, sgd, lr 0.01" (see <see cref="SpecNames"/>).</summary>
    [JsonIgnore]
    public string Label => SpecNames.Label(this);

    /// <summary>
    /// Checks every field by its row (<see cref="SpecFields"/>), then the rules between fields; the message names the
    /// option and what was expected. A value that would change nothing (σ_w² under Glorot, momentum under Adam) is refused
    /// rather than recorded as if it had been used, and a value libtorch cannot hold in the model's precision is refused
    /// before training rather than failing inside it.
    /// </summary>
    public ExperimentSpec Validate()
    {
        foreach (var field in SpecFields.All)
            if (field.Problem(this) is { } problem) throw new SpecException(problem);
        if (Residual && Depth < 2)
            throw new SpecException($"{SpecFields.Residual.Option}: expected {SpecFields.Depth.Option} 2 or more (the skip starts at the second hidden block)");
        return this;
    }

    /// <summary>A recurrent net's spec at the defaults, with the values its inapplicable fields hold (one layer; tanh, which
    /// the gated cells use): the start of a recurrent hypothesis, <c>ExperimentSpec.Recurrent(ModelKind.Lstm) with { … }</c>.</summary>
    public static ExperimentSpec Recurrent(ModelKind model) => new() { Model = model, Depth = 1, Activation = Activation.Tanh };

    /// <summary>The most libtorch threads a run may ask for.</summary>
    public const int MaxThreads = 256;
}

/// <summary>An experiment spec that cannot be run; the message names the option and what was expected.</summary>
public sealed class SpecException(string message) : BadInputException(message);
