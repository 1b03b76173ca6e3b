using Experiments.Data;
using Experiments.Models;
using Experiments.Records;
using Experiments.Training;

namespace Experiments.Theory;

/// <summary>What mean-field theory predicts for a spec's network at initialisation (plain MLPs only).</summary>
public static class Prediction
{
    /// <summary>Mean field describes plain stacks: no normalisation, no skip connections.</summary>
    public static bool Applies(ExperimentSpec spec) => spec.Normalization == Normalization.None && !spec.Residual;

    /// <summary>The mean-field model of the spec's hidden-to-hidden layers (width × width).</summary>
    public static MeanField Field(ExperimentSpec spec) => new(spec.Activation,
        Initializer.SigmaW2(spec.Init, spec.SigmaW2, spec.Width, spec.Width), BiasVariance(spec));

    /// <summary>Predicted log10(‖δ_l‖/‖δ_depth‖) for hidden layers 1..depth, from the spec and its training images.</summary>
    public static double[] LogDeltaProfile(ExperimentSpec spec, Digits train)
    {
        if (!Applies(spec)) throw new InvalidOperationException($"mean-field theory does not cover {spec.Label}");
        double firstLayer = Initializer.SigmaW2(spec.Init, spec.SigmaW2, train.PixelsPerImage, spec.Width);
        return Field(spec).LogDeltaProfile(spec.Depth, firstLayer, SecondMoment(train));
    }

    public static double[] LogDeltaProfile(ExperimentSpec spec) =>
        LogDeltaProfile(spec, DataSource.Load(spec.Data, spec.Samples, spec.TestFraction, spec.Seed).Train);

    /// <summary>E[x²] over every pixel of every image, pixels scaled to [0, 1].</summary>
    public static double SecondMoment(Digits digits)
    {
        double sum = 0;
        foreach (byte p in digits.Pixels) sum += p * p;
        return sum / digits.Pixels.Length / (255.0 * 255.0);
    }

    // TorchSharp's default bias is U(±1/√fan_in): variance 1/(3·fan_in).
    static double BiasVariance(ExperimentSpec spec) =>
        spec.Init == Initialization.TorchDefault ? 1.0 / (3 * spec.Width) : spec.BiasSigma2;
}
