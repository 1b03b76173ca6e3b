using Experiments.Diagnostics;
using Experiments.Models;
using Hypotheses.Vocabulary;
using NUnit.Framework;

namespace Hypotheses.Claims;

[TestFixture, Category("Claim")]
public class ShallowAndChoiceClaims
{
    // Mean field at σ_w² = 1: |log10 χ₁|/2 per layer is 0.62 (sigmoid) and 0.15 (ReLU); 20 against 5 hidden layers
    // adds 15 layers, a predicted gap of 9.4 (sigmoid) and 2.26 (ReLU) in |log10 δ ratio|. Margins: half of each.
    [TestCase(Activation.Sigmoid, 4.7)]
    [TestCase(Activation.Relu, 1.13)]
    [Test(Description = "\"Shallow networks with both Sigmoid and ReLU are less prone to vanishing or exploding gradients\"")]
    public void Shallow_nets_are_less_prone_than_deep_nets(Activation activation, double margin) =>
        Measured.Of(Conditions.Classic(activation, 20), Measure.WorstAbsLogRatio(Metric.DeltaNorm))
            .ShouldAllExceed(Measured.Of(Conditions.Classic(activation, 5), Measure.WorstAbsLogRatio(Metric.DeltaNorm)), margin,
                Claim.ShallowStable, $"holds for {Experiments.Records.RecordJson.Name(activation)}");

    // "Stable" = every layer's gradient norm stays within a factor of 10 (1 in log10) from epoch 1 to the last epoch.
    const double StableDrift = 1;

    [Test(Description = "\"... resulting in relatively stable gradient magnitudes\": shallow ReLU")]
    public void Shallow_relu_gradient_magnitudes_are_stable_over_epochs() =>
        Measured.Of(Conditions.Classic(Activation.Relu, 5), Measure.MaxLayerDrift(Metric.WeightGradNorm))
            .ShouldAllBeBelow(StableDrift, Claim.ShallowStable, "holds for relu");

    [Test(Description = "\"... resulting in relatively stable gradient magnitudes\": shallow sigmoid")]
    public void Shallow_sigmoid_gradient_magnitudes_change_over_epochs() =>
        Measured.Of(Conditions.Classic(Activation.Sigmoid, 5), Measure.MaxLayerDrift(Metric.WeightGradNorm))
            .ShouldAllBeAbove(StableDrift, Claim.ShallowStable,
                "refuted for sigmoid: its lowest layers' gradients grow over 10× between epoch 1 and the last while it learns");

    // Chance is 0.1 (ten balanced classes). "Learns": test accuracy above 0.5, far from chance; "does not learn":
    // below 0.2 (chance plus a margin; no learner here stays under 0.8 after 5 epochs).
    [TestCase(Activation.Sigmoid, 5), TestCase(Activation.Relu, 5), TestCase(Activation.Relu, 20)]
    [Test(Description = "\"Choosing appropriate activation functions and network depth is essential for stable training\": these learn")]
    public void These_configurations_learn(Activation activation, int depth) =>
        Measured.Of(Conditions.Classic(activation, depth), Measure.TestAccuracy)
            .ShouldAllBeAbove(0.5, Claim.ChoiceMatters, $"holds: {Experiments.Records.RecordJson.Name(activation)} with {depth} hidden layers learns");

    [Test(Description = "\"Choosing appropriate activation functions and network depth is essential for stable training\": this does not")]
    public void Deep_sigmoid_does_not_learn() =>
        Measured.Of(Conditions.Classic(Activation.Sigmoid, 20), Measure.TestAccuracy)
            .ShouldAllBeBelow(0.2, Claim.ChoiceMatters, "holds: sigmoid with 20 hidden layers stays at chance");
}
