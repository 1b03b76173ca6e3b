using Experiments.Diagnostics;
using Experiments.Models;
using Experiments.Records;
using Experiments.Training;
using Hypotheses.Vocabulary;
using NUnit.Framework;

namespace Hypotheses.Claims;

[TestFixture, Category("Claim")]
public class ReluClaims
{
    static readonly ExperimentSpec DeepRelu = Conditions.Classic(Activation.Relu, depth: 20);

    // Mean field (Theory/MeanField.cs): ReLU has χ₁ = σ_w²/2, so over the 19 layers between the first and last hidden
    // layer log10 δ ratio ≈ 9.5·log10(σ_w²/2): +2.86 at σ_w² = 4, the mildest explosive setting tested here.
    // "Explodes" means more than half of that: the first hidden layer's δ over 10^1.43 ≈ 27× the last one's.
    const double ExplodedLogRatio = 1.43;

    [Test(Description = "\"ReLU can lead to exploding gradients in certain layers of deep networks\": under the default Glorot initialisation")]
    public void Deep_relu_delta_does_not_explode_under_glorot() =>
        // Glorot gives σ_w² = 1, χ₁ = 1/2: δ shrinks toward the input at initialisation (predicted -2.86).
        Measured.Of(DeepRelu, Measure.MaxLogRatio(Metric.DeltaNorm))
            .ShouldAllBeBelow(ExplodedLogRatio, Claim.ReluExplodes,
                "refuted under Glorot init: δ vanishes at initialisation (≈ -2.9) and stays within 10^1 of flat while training");

    [Test(Description = "\"ReLU can lead to exploding gradients ... causing unstable training\": Glorot training does not diverge")]
    public void Deep_relu_training_is_stable_under_glorot() =>
        // Divergence is 0 or 1 per seed: below 0.5 means no seed diverged.
        Measured.Of(DeepRelu, Measure.Diverged).ShouldAllBeBelow(0.5, Claim.ReluExplodes, "refuted under Glorot init: no seed diverges");

    [Test(Description = "\"ReLU can lead to exploding gradients\": with σ_w² = 4, above the critical 2")]
    public void Deep_relu_delta_explodes_above_critical_variance() =>
        Measured.Of(DeepRelu.WithSigmaW2(4).AtInitialisation(), Measure.LogDeltaRatio(epoch: 0))
            .ShouldAllBeAbove(ExplodedLogRatio, Claim.ReluExplodes, "holds only when σ_w² > 2 (here 4): δ grows toward the input");

    [Test(Description = "\"... causing unstable training\": with σ_w² = 6 and SGD (lr 0.01, momentum 0.9), training diverges")]
    public void Deep_relu_training_diverges_above_critical_variance() =>
        // Every seed must diverge (1 = non-finite loss or gradient recorded).
        Measured.Of(DeepRelu.WithSigmaW2(6) with { Optimizer = OptimizerKind.Sgd, LearningRate = 0.01, Epochs = 1 }, Measure.Diverged)
            .ShouldAllBeAbove(0.5, Claim.ReluExplodes, "holds only when σ_w² > 2 (here 6) with plain SGD: training diverges");

    [Test(Description = "\"ReLU (mitigates vanishing gradient issue ...)\": deep ReLU against deep sigmoid, at initialisation")]
    public void Deep_relu_keeps_more_delta_than_deep_sigmoid_at_initialisation() =>
        // Mean field at σ_w² = 1: log10 χ₁ is -0.30 (ReLU) and -1.25 (sigmoid) per layer, a predicted gap of 9.0 over
        // 19 layers; the margin is half of it.
        Measured.Of(DeepRelu, Measure.LogDeltaRatio(epoch: 0))
            .ShouldAllExceed(Measured.Of(Conditions.Classic(Activation.Sigmoid, 20), Measure.LogDeltaRatio(epoch: 0)), 4.5,
                Claim.ReluMitigates, "holds");

    [Test(Description = "\"ReLU (mitigates vanishing gradient issue ...)\": deep ReLU against deep sigmoid, after training")]
    public void Deep_relu_keeps_more_delta_than_deep_sigmoid_after_training() =>
        // Same margin as at initialisation (half the predicted gap there).
        Measured.Of(DeepRelu, Measure.LogDeltaRatio(epoch: -1))
            .ShouldAllExceed(Measured.Of(Conditions.Classic(Activation.Sigmoid, 20), Measure.LogDeltaRatio(epoch: -1)), 4.5,
                Claim.ReluMitigates, "holds");
}
