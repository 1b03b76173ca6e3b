using System.Globalization;
using Experiments.Models;

namespace Experiments.Records;

/// <summary>
/// Every field of <see cref="ExperimentSpec"/>, one row each, in the spec's order, which is also the grid's (the data varies
/// slowest, the seed fastest, so a configuration's seeds sit together), the CSV columns' and the names' (after activation
/// and depth, which lead every name). Adding a field: the property, its row here, and the code where it takes effect.
/// </summary>
public static class SpecFields
{
    public static readonly SpecField<string> Data = new(nameof(ExperimentSpec.Data), "--data",
        "\"sample\" (embedded 10,000 MNIST digits), mnist, fashion-mnist or kmnist (downloaded once into a cache), " +
        "or a folder of MNIST/Fashion-MNIST IDX files", s => s.Data, (s, v) => s with { Data = v })
    {
        JobWide = true,
    };

    public static readonly SpecField<int?> Samples = new(nameof(ExperimentSpec.Samples), "--samples", "images drawn (stratified) from the data; default all",
        s => s.Samples, (s, v) => s with { Samples = v })
    {
        Check = (_, v) => v is null or >= 20 ? null : "expected at least 20 images",
        JobWide = true,
    };

    public static readonly SpecField<double?> TestFraction = new(nameof(ExperimentSpec.TestFraction), "--test-fraction",
        "share of the drawn images held out for testing (the embedded sample; a folder's t10k files are its test set)",
        s => s.TestFraction, (s, v) => s with { TestFraction = v })
    {
        AppliesWhen = s => !Experiments.Data.DataSource.HasOfficialTest(s.Data),
        NotApplicable = s => $"applies to the embedded sample only, not {s.Data}, whose official test files are its test set",
        WhereUnused = null,
        Check = (_, v) => v is > 0 and < 1 ? null : "expected a fraction between 0 and 1",
        JobWide = true,
    };

    public static readonly SpecField<ModelKind> Model = new(nameof(ExperimentSpec.Model), "--model",
        "network: mlp, or a recurrent net (rnn, lstm, gru) reading each image row by row, one row a time step",
        s => s.Model, (s, v) => s with { Model = v })
    {
        Name = Show, Label = Show, ReportLabel = "model",
    };

    public static readonly SpecField<int> Depth = new(nameof(ExperimentSpec.Depth), "--depth", "hidden layers",
        s => s.Depth, (s, v) => s with { Depth = v })
    {
        AppliesWhen = s => !s.Model.IsRecurrent(),
        NotApplicable = s => $"applies to {Model.Option} mlp, not {Show(s.Model)} (one recurrent layer, unrolled over the time steps)",
        WhereUnused = 1,
        Check = (_, v) => v >= 1 ? null : "expected a whole number of hidden layers, at least 1",
        Name = v => $"d{v}", ReportLabel = "hidden layers",
    };

    public static readonly SpecField<int> Width = new(nameof(ExperimentSpec.Width), "--width", "units per hidden layer",
        s => s.Width, (s, v) => s with { Width = v })
    {
        Check = (_, v) => v >= 1 ? null : "expected a whole number, at least 1",
        Name = v => $"w{v}", ReportLabel = "width",
    };

    public static readonly SpecField<Activation> Activation = new(nameof(ExperimentSpec.Activation), "--activation", "activation(s)",
        s => s.Activation, (s, v) => s with { Activation = v })
    {
        AppliesWhen = s => s.Model is ModelKind.Mlp or ModelKind.Rnn,
        NotApplicable = s => $"applies to {Model.Option} mlp or rnn, not {Show(s.Model)} (its gates fix their own: sigmoid and tanh)",
        WhereUnused = Models.Activation.Tanh,
        Name = Show, ReportLabel = "activation",
    };

    public static readonly SpecField<Initialization> Init = new(nameof(ExperimentSpec.Init), "--init", "weight initialisation",
        s => s.Init, (s, v) => s with { Init = v })
    {
        Name = Show, ReportLabel = "initialisation",
    };

    public static readonly SpecField<double?> SigmaW2 = new(nameof(ExperimentSpec.SigmaW2), "--sigma-w2",
        "weight variance σ_w² (for --init normal; gain² for orthogonal)", s => s.SigmaW2, (s, v) => s with { SigmaW2 = v })
    {
        AppliesWhen = s => s.Init is Initialization.Normal or Initialization.Orthogonal,
        NotApplicable = s => $"applies to {Init.Option} normal or orthogonal, not {Show(s.Init)} (which sets its own variance)",
        Check = (s, v) => v is { } w ? Positive(s, w, "a positive weight variance", Largest(s))
            : s.Init == Initialization.Normal ? $"expected a value with {Init.Option} normal" : null,
        Name = v => $"sw{SpecNames.Number(v!.Value)}", Label = v => $"σw²={SpecNames.Number(v!.Value)}",
        ReportLabel = "σ_w²", Report = v => v is { } w ? Short(w) : "1 (the initialisation's own gain)",
    };

    public static readonly SpecField<double> BiasSigma2 = new(nameof(ExperimentSpec.BiasSigma2), "--sigma-b2", "bias variance σ_b² (0: zero biases)",
        s => s.BiasSigma2, (s, v) => s with { BiasSigma2 = v })
    {
        AppliesWhen = s => s.Init != Initialization.TorchDefault,
        NotApplicable = _ => $"does not apply to {Init.Option} torch-default, which draws its biases from U(±1/√fan_in)",
        Check = (s, v) => v == 0 ? null : Positive(s, v, "a non-negative bias variance", Largest(s)),
        Name = v => $"sb{SpecNames.Number(v)}", Label = v => $"σb²={SpecNames.Number(v)}",
        ReportLabel = "biases", Report = v => v > 0 ? $"N(0, {Short(v)})" : "zero", ReportWhereUnused = "U(±1/√fan_in)",
    };

    public static readonly SpecField<Sequence> Sequence = new(nameof(ExperimentSpec.Sequence), "--sequence",
        "how a recurrent net reads an image: rows (28 steps of 28 pixels), or pixels (one a step, the image shrunk to 14×14 by " +
        "2×2 averaging: 196 steps)", s => s.Sequence, (s, v) => s with { Sequence = v })
    {
        AppliesWhen = s => s.Model.IsRecurrent(),
        NotApplicable = s => $"applies to a recurrent {Model.Option} (rnn, lstm, gru), not {Show(s.Model)}",
        Name = Show, Label = v => $"{Show(v)} sequence", ReportLabel = "sequence",
    };

    public static readonly SpecField<RecurrentInitialization> RecurrentInit = new(nameof(ExperimentSpec.RecurrentInit), "--recurrent-init",
        "how a recurrent net's W_hh starts, gate by gate (as-init: as --init says)", s => s.RecurrentInit, (s, v) => s with { RecurrentInit = v })
    {
        AppliesWhen = s => s.Model.IsRecurrent(),
        NotApplicable = s => $"applies to a recurrent {Model.Option} (rnn, lstm, gru), not {Show(s.Model)}",
        Name = v => $"whh-{Show(v)}", Label = v => $"W_hh {Show(v)}", ReportLabel = "recurrent weights",
    };

    public static readonly SpecField<double> ForgetBias = new(nameof(ExperimentSpec.ForgetBias), "--forget-bias",
        "the LSTM's forget-gate bias", s => s.ForgetBias, (s, v) => s with { ForgetBias = v })
    {
        AppliesWhen = s => s.Model == ModelKind.Lstm,
        NotApplicable = s => $"applies to {Model.Option} lstm, not {Show(s.Model)}",
        Check = (s, v) => double.IsFinite(v) && Math.Abs(v) <= 100 ? TooSmall(s, v, "0 or a bias") : "expected a bias between -100 and 100",
        Name = v => $"fb{SpecNames.Number(v)}", Label = v => $"forget bias {SpecNames.Number(v)}", ReportLabel = "forget-gate bias", Report = Short,
    };

    public static readonly SpecField<Normalization> Normalization = new(nameof(ExperimentSpec.Normalization), "--norm",
        "normalisation after each hidden Linear", s => s.Normalization, (s, v) => s with { Normalization = v })
    {
        AppliesWhen = s => !s.Model.IsRecurrent(),
        NotApplicable = s => $"applies to {Model.Option} mlp, not {Show(s.Model)}",
        Name = v => Show(v) + "norm", Label = v => $"{Show(v)} norm", ReportLabel = "normalisation",
    };

    public static readonly SpecField<bool> Residual = new(nameof(ExperimentSpec.Residual), "--residual",
        "identity skip around hidden blocks 2..depth (alone: true; or a list: false true)", s => s.Residual, (s, v) => s with { Residual = v })
    {
        AppliesWhen = s => !s.Model.IsRecurrent(),
        NotApplicable = s => $"applies to {Model.Option} mlp, not {Show(s.Model)}",
        Name = _ => "residual", Label = _ => "residual", ReportLabel = "residual", Report = v => v ? "yes" : "no",
    };

    public static readonly SpecField<OptimizerKind> Optimizer = new(nameof(ExperimentSpec.Optimizer), "--optimizer", "optimizer",
        s => s.Optimizer, (s, v) => s with { Optimizer = v })
    {
        Name = Show, Label = Show, ReportLabel = "optimizer",
    };

    public static readonly SpecField<double> LearningRate = new(nameof(ExperimentSpec.LearningRate), "--lr", "learning rate",
        s => s.LearningRate, (s, v) => s with { LearningRate = v })
    {
        // Adam's first step is lr/(1 − β₁) = 10·lr, which libtorch converts to the model's precision.
        Check = (s, v) => Positive(s, v, "a positive number", Largest(s) / 10),
        Name = v => $"lr{SpecNames.Number(v)}", Label = v => $"lr {SpecNames.Number(v)}", ReportLabel = "learning rate", Report = Short,
    };

    public static readonly SpecField<double> Momentum = new(nameof(ExperimentSpec.Momentum), "--momentum", "SGD momentum",
        s => s.Momentum, (s, v) => s with { Momentum = v })
    {
        AppliesWhen = s => s.Optimizer == OptimizerKind.Sgd,
        NotApplicable = s => $"applies to {Optimizer.Option} sgd, not {Show(s.Optimizer)}",
        Check = (s, v) => v is >= 0 and < 1 ? TooSmall(s, v, "0 or a momentum") : "expected a number in [0, 1)",
        Name = v => $"m{SpecNames.Number(v)}", Label = v => $"momentum {SpecNames.Number(v)}", ReportLabel = "momentum", Report = Short,
    };

    public static readonly SpecField<int> BatchSize = new(nameof(ExperimentSpec.BatchSize), "--batch", "batch size",
        s => s.BatchSize, (s, v) => s with { BatchSize = v })
    {
        Check = (_, v) => v >= 1 ? null : "expected a whole number, at least 1",
        Name = v => $"b{v}", Label = v => $"batch {v}", ReportLabel = "batch size",
    };

    public static readonly SpecField<int> Epochs = new(nameof(ExperimentSpec.Epochs), "--epochs",
        "training epochs (epoch 0, at initialisation, is extra)", s => s.Epochs, (s, v) => s with { Epochs = v })
    {
        Check = (_, v) => v >= 0 ? null : "expected a whole number, at least 0",
        JobWide = true, ReportLabel = "epochs",
    };

    public static readonly SpecField<double?> ClipNorm = new(nameof(ExperimentSpec.ClipNorm), "--clip", "clip the global gradient norm to this value",
        s => s.ClipNorm, (s, v) => s with { ClipNorm = v })
    {
        Check = (s, v) => v is { } c ? Positive(s, c, "a positive gradient norm", Largest(s)) : null,
        Name = v => $"clip{SpecNames.Number(v!.Value)}", Label = v => $"clip {SpecNames.Number(v!.Value)}",
        ReportLabel = "gradient clipping", Report = v => v is { } c ? $"global norm {Short(c)}" : "none",
    };

    public static readonly SpecField<int> InitBatches = new(nameof(ExperimentSpec.InitBatches), "--init-batches",
        "batches measured at initialisation (epoch 0), before any update", s => s.InitBatches, (s, v) => s with { InitBatches = v })
    {
        Check = (_, v) => v >= 1 ? null : "expected at least 1",
        JobWide = true, ReportLabel = "batches measured at initialisation",
    };

    public static readonly SpecField<int> Threads = new(nameof(ExperimentSpec.Threads), "--threads", "libtorch threads per run (1 is bit-reproducible)",
        s => s.Threads, (s, v) => s with { Threads = v })
    {
        // libtorch starts that many threads per run: far past the cores, they only contend (and 2^31 would exhaust the machine).
        Check = (_, v) => v is >= 1 and <= ExperimentSpec.MaxThreads ? null : $"expected a whole number from 1 to {ExperimentSpec.MaxThreads}",
        JobWide = true,
    };

    public static readonly SpecField<Precision> Precision = new(nameof(ExperimentSpec.Precision), "--precision",
        "floating-point precision (float64 agrees across CPUs; float32 deep ReLU runs do not)", s => s.Precision, (s, v) => s with { Precision = v })
    {
        Name = Show, Label = Show, ReportLabel = "precision",
    };

    public static readonly SpecField<int> Seed = new(nameof(ExperimentSpec.Seed), "--seed", "seed for weights, split and batch order",
        s => s.Seed, (s, v) => s with { Seed = v })
    {
        Name = v => $"seed{v}", Label = v => $"seed {v}", ReportLabel = "seed",
    };

    /// <summary>Every row, in the spec's order.</summary>
    public static readonly IReadOnlyList<SpecField> All =
    [
        Data, Samples, TestFraction, Model, Depth, Width, Activation, Init, SigmaW2, BiasSigma2, Sequence, RecurrentInit, ForgetBias, Normalization, Residual, Optimizer,
        LearningRate, Momentum, BatchSize, Epochs, ClipNorm, InitBatches, Threads, Precision, Seed,
    ];

    static string Show<T>(T value) => SpecField.Show(value);
    static string Short(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>The largest value the model's precision holds: libtorch converts settings to it.</summary>
    static double Largest(ExperimentSpec s) => s.Precision == Experiments.Records.Precision.Float64 ? double.MaxValue : float.MaxValue;

    /// <summary>A positive finite value of at most <paramref name="largest"/> that the precision holds as a normal number.</summary>
    static string? Positive(ExperimentSpec s, double value, string expected, double largest) =>
        !(value > 0) || !double.IsFinite(value) ? $"expected {expected}"
        : value > largest ? $"expected {expected} of at most {Limit(s, largest)}"
        : TooSmall(s, value, expected);

    /// <summary>libtorch holds settings in the model's precision: a value below its smallest normal number is flushed to 0 or
    /// loses its digits (lr 1e-320 gave update ratios of 0, σ_w² 1e-320 zero weights and NaN ratios), so it is refused.</summary>
    static string? TooSmall(ExperimentSpec s, double value, string expected)
    {
        double smallest = s.Precision == Experiments.Records.Precision.Float64 ? 2.2250738585072014e-308 : 1.17549435e-38;
        return value != 0 && Math.Abs(value) < smallest
            ? $"too small for {Show(s.Precision)} (it would be flushed to 0 or lose its digits); expected {expected} of at least {Limit(s, smallest)}"
            : null;
    }

    /// <summary>A limit as the precision writes it (3.4028235E+38 for float32, not its double expansion).</summary>
    static string Limit(ExperimentSpec s, double value) =>
        s.Precision == Experiments.Records.Precision.Float64 ? SpecField.Show(value) : ((float)value).ToString(CultureInfo.InvariantCulture);
}
