using Experiments.Data;
using Experiments.Models;
using Experiments.Records;
using Experiments.Theory;

namespace Experiments.Training;

/// <summary>What mean-field theory predicts for a spec's network at initialisation (plain MLPs only), made once when the
/// run is trained and kept in its record, so that figures and reports need neither the data nor the theory's code.</summary>
public static class MeanFieldPredictor
{
    /// <summary>Mean field describes plain stacks (no normalisation, no skip connections) and the vanilla RNN with Gaussian-like
    /// weights everywhere (W_hh drawn as --init; orthogonal or identity W_hh, and the gated cells, are outside it here).</summary>
    public static bool Applies(ExperimentSpec spec) => spec.Model switch
    {
        ModelKind.Mlp => spec.Normalization == Normalization.None && !spec.Residual,
        ModelKind.Rnn => spec.RecurrentInit == RecurrentInitialization.AsInit,
        _ => false,
    };

    /// <summary>The mean-field model of the spec's hidden-to-hidden layers (width × width).</summary>
    public static MeanField Field(ExperimentSpec spec) => new(spec.Activation,
        Initializer.SigmaW2(spec.Init, spec.SigmaW2, spec.Width, spec.Width), BiasVariance(spec));

    /// <summary>The prediction for the spec's network on its training images; null where mean field does not apply.</summary>
    public static MeanFieldPrediction? For(ExperimentSpec spec, Digits train)
    {
        if (!Applies(spec)) return null;
        if (spec.Model == ModelKind.Rnn) return ForRnn(spec, train);
        var field = Field(spec);
        double firstLayer = Initializer.SigmaW2(spec.Init, spec.SigmaW2, train.PixelsPerImage, spec.Width);
        double secondMoment = train.SecondMoment();
        return new MeanFieldPrediction(field.SigmaW2, field.SigmaB2, firstLayer, secondMoment, field.FixedPoint(), field.Chi1(),
            field.LogDeltaProfile(spec.Depth, firstLayer, secondMoment));
    }

    /// <summary>A vanilla RNN's prediction (<see cref="RecurrentMeanField"/>): the profile runs over the time steps, the
    /// "first layer" is the input weights W_ih, and q and χ are those of the last step.</summary>
    static MeanFieldPrediction ForRnn(ExperimentSpec spec, Digits train)
    {
        int inputs = Trainer.RecurrentShape(spec, train.Rows, train.Columns).InputsPerStep;
        double recurrent = Initializer.SigmaW2(spec.Init, spec.SigmaW2, spec.Width, spec.Width);
        double input = Initializer.SigmaW2(spec.Init, spec.SigmaW2, inputs, spec.Width);
        // torch-default draws both biases, b_ih ~ U(±1/√I) and b_hh ~ U(±1/√H); otherwise b_ih ~ N(0, σ_b²), b_hh = 0.
        double bias = spec.Init == Initialization.TorchDefault ? 1.0 / (3 * inputs) + 1.0 / (3 * spec.Width) : spec.BiasSigma2;
        var field = new RecurrentMeanField(spec.Activation, recurrent, input, bias);
        var steps = spec.Sequence == Sequence.Rows ? train.RowSecondMoments() : train.ShrunkPixelSecondMoments();
        double last = field.Variances(steps)[^1];
        return new MeanFieldPrediction(recurrent, field.SigmaB2, input, train.SecondMoment(), last,
            new MeanField(spec.Activation, recurrent, field.SigmaB2).Chi(last), field.LogDeltaProfile(steps));
    }

    // TorchSharp's default bias is U(±1/√fan_in): variance 1/(3·fan_in).
    static double BiasVariance(ExperimentSpec spec) =>
        spec.Init == Initialization.TorchDefault ? 1.0 / (3 * spec.Width) : spec.BiasSigma2;
}
