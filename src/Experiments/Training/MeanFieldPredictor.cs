using Experiments.Data;
using Experiments.Models;
using Experiments.Records;
using Experiments.Theory;

namespace Experiments.Training;

/// <summary>What mean-field theory predicts for a spec's network at initialisation (plain MLPs only), made once when the
/// run is trained and kept in its record, so that figures and reports need neither the data nor the theory's code.</summary>
public static class MeanFieldPredictor
{
    /// <summary>Mean field describes plain stacks: no normalisation, no skip connections (and here, no recurrence).</summary>
    public static bool Applies(ExperimentSpec spec) => spec.Model == ModelKind.Mlp && spec.Normalization == Normalization.None && !spec.Residual;

    /// <summary>The mean-field model of the spec's hidden-to-hidden layers (width × width).</summary>
    public static MeanField Field(ExperimentSpec spec) => new(spec.Activation,
        Initializer.SigmaW2(spec.Init, spec.SigmaW2, spec.Width, spec.Width), BiasVariance(spec));

    /// <summary>The prediction for the spec's network on its training images; null where mean field does not apply.</summary>
    public static MeanFieldPrediction? For(ExperimentSpec spec, Digits train)
    {
        if (!Applies(spec)) return null;
        var field = Field(spec);
        double firstLayer = Initializer.SigmaW2(spec.Init, spec.SigmaW2, train.PixelsPerImage, spec.Width);
        double secondMoment = train.SecondMoment();
        return new MeanFieldPrediction(field.SigmaW2, field.SigmaB2, firstLayer, secondMoment, field.FixedPoint(), field.Chi1(),
            field.LogDeltaProfile(spec.Depth, firstLayer, secondMoment));
    }

    // TorchSharp's default bias is U(±1/√fan_in): variance 1/(3·fan_in).
    static double BiasVariance(ExperimentSpec spec) =>
        spec.Init == Initialization.TorchDefault ? 1.0 / (3 * spec.Width) : spec.BiasSigma2;
}
