using System.CommandLine;
using Experiments.Models;
using Experiments.Records;

namespace Experiments.Cli;

/// <summary>
/// The command-line options that make experiment specs. Every option takes a list; the specs are every combination
/// (depth first, seed last, so a configuration's seeds sit together). A value that applies to only some combinations
/// (σ_w² to --init normal, momentum to SGD) is used where it applies, and refused only where it applies to none.
/// </summary>
public sealed class SpecOptions
{
    static readonly ExperimentSpec Defaults = new();

    public readonly Option<int[]> Depth = List<int>("--depth", "hidden layers", [.. ClassicExperiment.Depths]);
    public readonly Option<string[]> Activation = List<string>("--activation", $"activation(s): {Names<Activation>()}",
        [.. ClassicExperiment.Activations.Select(RecordJson.Name)]);
    public readonly Option<int[]> Width = List<int>("--width", "units per hidden layer", [Defaults.Width]);
    public readonly Option<string[]> Init = List<string>("--init", $"weight initialisation: {Names<Initialization>()}", [RecordJson.Name(Defaults.Init)]);
    public readonly Option<double[]> SigmaW2 = List<double>("--sigma-w2", "weight variance σ_w² (for --init normal; gain² for orthogonal)", []);
    public readonly Option<double[]> SigmaB2 = List<double>("--sigma-b2", "bias variance σ_b² (0: zero biases)", [Defaults.BiasSigma2]);
    public readonly Option<string[]> Norm = List<string>("--norm", $"normalisation after each hidden Linear: {Names<Normalization>()}", ["none"]);
    public readonly Option<bool[]> Residual = List<bool>("--residual", "identity skip around hidden blocks 2..depth (alone: true; or a list: false true)", [false]);
    public readonly Option<string[]> Optimizer = List<string>("--optimizer", $"optimizer: {Names<OptimizerKind>()}", ["adam"]);
    public readonly Option<double[]> LearningRate = List<double>("--lr", "learning rate", [Defaults.LearningRate]);
    public readonly Option<double[]> Momentum = List<double>("--momentum", "SGD momentum", [Defaults.Momentum]);
    public readonly Option<int[]> Batch = List<int>("--batch", "batch size", [Defaults.BatchSize]);
    public readonly Option<int[]> Epochs = List<int>("--epochs", "training epochs (epoch 0, at initialisation, is extra)", [10]);
    public readonly Option<double[]> Clip = List<double>("--clip", "clip the global gradient norm to this value", []);
    public readonly Option<int[]> Seed = List<int>("--seed", "seed for weights, split and batch order", [Defaults.Seed]);
    public readonly Option<int[]> Samples = List<int>("--samples", "images drawn (stratified) from the data; default all", []);
    public readonly Option<int[]> Threads = List<int>("--threads", "libtorch threads per run (1 is bit-reproducible)", [Defaults.Threads]);
    public readonly Option<string[]> Precision = List<string>("--precision",
        $"floating-point precision: {Names<Precision>()} (float64 agrees across CPUs; float32 deep ReLU runs do not)", [RecordJson.Name(Defaults.Precision)]);
    public readonly Option<string[]> Data = List<string>("--data",
        "\"sample\" (embedded 10,000 MNIST digits), mnist, fashion-mnist or kmnist (downloaded once into a cache), " +
        "or a folder of MNIST/Fashion-MNIST IDX files", [Experiments.Data.DataSource.Sample]);

    public IEnumerable<Option> All =>
        [Depth, Activation, Width, Init, SigmaW2, SigmaB2, Norm, Residual, Optimizer, LearningRate, Momentum, Batch, Epochs,
         Clip, Seed, Samples, Threads, Precision, Data];

    /// <summary>The specs the options describe: every combination of their values, each validated, each once.</summary>
    public IReadOnlyList<ExperimentSpec> Specs(ParseResult parsed)
    {
        IReadOnlyList<T> Values<T>(Option<T[]> option) => ListValues.Distinct(option.Name, parsed.GetValue(option)!);
        IReadOnlyList<T> Parsed<T>(Option<string[]> option) where T : struct, Enum =>
            ListValues.Distinct(option.Name, parsed.GetValue(option)!.Select(v => ParseEnum<T>(option.Name, v)).ToList(), RecordJson.Name);
        IReadOnlyList<T?> OrNone<T>(Option<T[]> option) where T : struct =>
            Values(option) is { Count: > 0 } values ? values.Select(v => (T?)v).ToList() : [null];

        var residual = parsed.GetResult(Residual) is { Implicit: false, Tokens.Count: 0 } ? [true] : Values(Residual); // a bare flag
        if (Values(Epochs).FirstOrDefault(e => e < 1, 1) is var none && none < 1) // the library allows 0 (initialisation only); here it is a slip
            throw new SpecException($"--epochs {none}: expected at least 1 training epoch (epoch 0, at initialisation, is always measured)");

        Preflight.CheckGridSize([.. All.Select(option => (option.Name, GivenCount(parsed, option)))]);
        var combinations =
            from depth in Values(Depth)
            from activation in Parsed<Activation>(Activation)
            from batch in Values(Batch)
            from width in Values(Width)
            from init in Parsed<Initialization>(Init)
            from sigmaW2 in OrNone(SigmaW2)
            from sigmaB2 in Values(SigmaB2)
            from norm in Parsed<Normalization>(Norm)
            from skip in residual
            from optimizer in Parsed<OptimizerKind>(Optimizer)
            from lr in Values(LearningRate)
            from momentum in Values(Momentum)
            from epochs in Values(Epochs)
            from clip in OrNone(Clip)
            from samples in OrNone(Samples)
            from threads in Values(Threads)
            from precision in Parsed<Precision>(Precision)
            from data in Values(Data)
            from seed in Values(Seed)
            select new ExperimentSpec
            {
                Depth = depth, Activation = activation, BatchSize = batch, Width = width, Init = init, SigmaW2 = sigmaW2,
                BiasSigma2 = sigmaB2, Normalization = norm, Residual = skip, Optimizer = optimizer, LearningRate = lr,
                Momentum = momentum, Epochs = epochs, ClipNorm = clip, Samples = samples, Threads = threads,
                Precision = precision, Data = data!, Seed = seed,
                // A folder's official test files are its test set: no fraction is used, so none is recorded.
                TestFraction = Experiments.Data.DataSource.HasOfficialTest(data!) ? null : Defaults.TestFraction,
            };
        var all = combinations.ToList();
        // Values that apply to some combinations only: where they do not apply, the spec keeps its default, so that it does
        // not record a setting it did not use. A value that applies to no combination is refused by the spec's own check.
        var specs = all.Select(s => s with
        {
            SigmaW2 = SpecApplicability.SigmaW2Applies(s.Init) ? s.SigmaW2 : null,
            Momentum = SpecApplicability.MomentumApplies(s.Optimizer) ? s.Momentum : Defaults.Momentum,
            BiasSigma2 = SpecApplicability.BiasSigma2Applies(s.Init) ? s.BiasSigma2 : Defaults.BiasSigma2,
        }).ToList();
        string Given(Option<double[]> option) => parsed.GetResult(option) is { Implicit: false } ? string.Join(" ", Values(option)) : "";
        if (Given(SigmaW2) is { Length: > 0 } w && !all.Any(s => SpecApplicability.SigmaW2Applies(s.Init)))
            throw new SpecException($"--sigma-w2 {w}: applies to --init normal or orthogonal, not {RecordJson.Name(all[0].Init)} (which sets its own variance)");
        if (Given(Momentum) is { Length: > 0 } m && !all.Any(s => SpecApplicability.MomentumApplies(s.Optimizer))) // even at its default value
            throw new SpecException($"--momentum {m}: applies to --optimizer sgd, not {RecordJson.Name(all[0].Optimizer)}");
        if (Given(SigmaB2) is { Length: > 0 } b && Values(SigmaB2).Any(v => v != 0) && all.All(s => !SpecApplicability.BiasSigma2Applies(s.Init)))
            throw new SpecException($"--sigma-b2 {b}: does not apply to --init torch-default, which draws its biases from U(±1/√fan_in)");
        return specs.Select(s => s.Validate()).DistinctBy(s => s.Id).ToList();
    }

    /// <summary>How many distinct values <paramref name="option"/> was given (1 for its default), counted without a spec.</summary>
    static int GivenCount(ParseResult parsed, Option option) =>
        parsed.GetResult(option) is { Implicit: false, Tokens.Count: > 0 } given ? given.Tokens.Select(t => t.Value).Distinct().Count() : 1;

    public static T ParseEnum<T>(string option, string? text) where T : struct, Enum =>
        Enum.GetValues<T>().FirstOrDefault(v => RecordJson.Name(v) == text?.Trim().ToLowerInvariant(), (T)(object)-1) is var value
        && Enum.IsDefined(value)
            ? value
            : throw new SpecException($"{option} {text}: expected one of {Names<T>()}");

    static Option<T[]> List<T>(string name, string description, T[] defaults) => new(name)
    {
        Description = description + "; several values make a grid", DefaultValueFactory = _ => defaults,
        AllowMultipleArgumentsPerToken = true, Arity = typeof(T) == typeof(bool) ? ArgumentArity.ZeroOrMore : ArgumentArity.OneOrMore,
    };

    static string Names<T>() where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(RecordJson.Name));
}
