using System.CommandLine;
using Experiments.Models;
using Experiments.Records;

namespace Experiments.Cli;

/// <summary>The command-line options that make experiment specs. Lists of depths, activations and batch sizes make a grid.</summary>
public sealed class SpecOptions
{
    static readonly ExperimentSpec Defaults = new();

    public readonly Option<int[]> Depth = new("--depth")
    {
        Description = "hidden layers; several values make a grid", DefaultValueFactory = _ => [.. ClassicExperiment.Depths],
        AllowMultipleArgumentsPerToken = true,
    };
    public readonly Option<string[]> Activation = new("--activation")
    {
        Description = $"activation(s): {Names<Activation>()}", DefaultValueFactory = _ => [.. ClassicExperiment.Activations.Select(RecordJson.Name)],
        AllowMultipleArgumentsPerToken = true,
    };
    public readonly Option<int> Width = new("--width") { Description = "units per hidden layer", DefaultValueFactory = _ => Defaults.Width };
    public readonly Option<string> Init = new("--init")
    {
        Description = $"weight initialisation: {Names<Initialization>()}", DefaultValueFactory = _ => RecordJson.Name(Defaults.Init),
    };
    public readonly Option<double?> SigmaW2 = new("--sigma-w2") { Description = "weight variance σ_w² (for --init normal; gain² for orthogonal)" };
    public readonly Option<double> SigmaB2 = new("--sigma-b2") { Description = "bias variance σ_b² (0: zero biases)" };
    public readonly Option<string> Norm = new("--norm")
    {
        Description = $"normalisation after each hidden Linear: {Names<Normalization>()}", DefaultValueFactory = _ => "none",
    };
    public readonly Option<bool> Residual = new("--residual") { Description = "identity skip around hidden blocks 2..depth" };
    public readonly Option<string> Optimizer = new("--optimizer")
    {
        Description = $"optimizer: {Names<OptimizerKind>()}", DefaultValueFactory = _ => "adam",
    };
    public readonly Option<double> LearningRate = new("--lr") { Description = "learning rate", DefaultValueFactory = _ => Defaults.LearningRate };
    public readonly Option<double> Momentum = new("--momentum") { Description = "SGD momentum", DefaultValueFactory = _ => Defaults.Momentum };
    public readonly Option<int[]> Batch = new("--batch")
    {
        Description = "batch size(s); several values make a grid", DefaultValueFactory = _ => [Defaults.BatchSize],
        AllowMultipleArgumentsPerToken = true,
    };
    public readonly Option<int> Epochs = new("--epochs") { Description = "training epochs (epoch 0, at initialisation, is extra)", DefaultValueFactory = _ => 10 };
    public readonly Option<double?> Clip = new("--clip") { Description = "clip the global gradient norm to this value" };
    public readonly Option<int> Seed = new("--seed") { Description = "seed for weights, split and batch order", DefaultValueFactory = _ => Defaults.Seed };
    public readonly Option<int?> Samples = new("--samples") { Description = "images drawn (stratified) from the data; default all" };
    public readonly Option<int> Threads = new("--threads") { Description = "libtorch threads per run (1 is bit-reproducible)", DefaultValueFactory = _ => Defaults.Threads };
    public readonly Option<string> Precision = new("--precision")
    {
        Description = $"floating-point precision: {Names<Precision>()} (float64 agrees across CPUs; float32 deep ReLU runs do not)",
        DefaultValueFactory = _ => RecordJson.Name(Defaults.Precision),
    };
    public readonly Option<string> Data = new("--data")
    {
        Description = "\"sample\" (embedded 10,000 MNIST digits), mnist, fashion-mnist or kmnist (downloaded once into a cache), " +
                      "or a folder of MNIST/Fashion-MNIST IDX files",
        DefaultValueFactory = _ => Experiments.Data.DataSource.Sample,
    };

    public IEnumerable<Option> All =>
        [Depth, Activation, Width, Init, SigmaW2, SigmaB2, Norm, Residual, Optimizer, LearningRate, Momentum, Batch, Epochs,
         Clip, Seed, Samples, Threads, Precision, Data];

    /// <summary>The specs the options describe: every depth × activation × batch size, each validated.</summary>
    public IReadOnlyList<ExperimentSpec> Specs(ParseResult parsed)
    {
        var template = new ExperimentSpec
        {
            Width = parsed.GetValue(Width),
            Init = ParseEnum<Initialization>(Init.Name, parsed.GetValue(Init)),
            SigmaW2 = parsed.GetValue(SigmaW2),
            BiasSigma2 = parsed.GetValue(SigmaB2),
            Normalization = ParseEnum<Normalization>(Norm.Name, parsed.GetValue(Norm)),
            Residual = parsed.GetValue(Residual),
            Optimizer = ParseEnum<OptimizerKind>(Optimizer.Name, parsed.GetValue(Optimizer)),
            LearningRate = parsed.GetValue(LearningRate),
            Momentum = parsed.GetValue(Momentum),
            Epochs = parsed.GetValue(Epochs),
            ClipNorm = parsed.GetValue(Clip),
            Seed = parsed.GetValue(Seed),
            Samples = parsed.GetValue(Samples),
            Threads = parsed.GetValue(Threads),
            Precision = ParseEnum<Precision>(Precision.Name, parsed.GetValue(Precision)),
            Data = parsed.GetValue(Data)!,
        };
        // A folder's official test files are its test set: no fraction is used, so none is recorded.
        if (Experiments.Data.DataSource.HasOfficialTest(template.Data)) template = template with { TestFraction = null };
        if (parsed.GetResult(Momentum) is { Implicit: false } && template.Optimizer != OptimizerKind.Sgd) // even at its default value
            throw new SpecException($"--momentum {template.Momentum}: applies to --optimizer sgd, not {RecordJson.Name(template.Optimizer)}");
        if (template.Epochs < 1) // the library allows 0 (initialisation only); on the command line it is a slip
            throw new SpecException($"--epochs {template.Epochs}: expected at least 1 training epoch (epoch 0, at initialisation, is always measured)");
        var activations = ListValues.Distinct(Activation.Name,
            parsed.GetValue(Activation)!.Select(a => ParseEnum<Activation>(Activation.Name, a)).ToList(), RecordJson.Name);
        return (from depth in ListValues.Distinct(Depth.Name, parsed.GetValue(Depth)!)
                from activation in activations
                from batch in ListValues.Distinct(Batch.Name, parsed.GetValue(Batch)!)
                select (template with { Depth = depth, Activation = activation, BatchSize = batch }).Validate()).ToList();
    }

    public static T ParseEnum<T>(string option, string? text) where T : struct, Enum =>
        Enum.GetValues<T>().FirstOrDefault(v => RecordJson.Name(v) == text?.Trim().ToLowerInvariant(), (T)(object)-1) is var value
        && Enum.IsDefined(value)
            ? value
            : throw new SpecException($"{option} {text}: expected one of {Names<T>()}");

    static string Names<T>() where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(RecordJson.Name));
}
