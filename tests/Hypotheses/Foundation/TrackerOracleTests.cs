using Experiments.Diagnostics;
using Experiments.Models;
using Experiments.Records;
using Experiments.Training;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Hypotheses.Foundation;

/// <summary>
/// The tracker against an independent oracle: central finite differences of the loss, in float64, on a
/// tiny network. Weight gradients come from perturbing each weight. δ_l = ∂L/∂h_l needs no hook: with a
/// mean loss over N examples, ∂L/∂h_l[n] = (1/N)·∂ℓ_n/∂b_l measured on example n alone, since on one
/// example the bias enters h_l exactly as h_l does. So both oracles use forward passes only.
/// </summary>
[TestFixture, Category("Foundation")]
public class TrackerOracleTests
{
    const double Tolerance = 1e-6; // relative: a thousand times the float64 round-off of the oracle. Central differences in float64 reach ~1e-9 here.
    const int Examples = 5, Inputs = 7;

    static IEnumerable<TestCaseData> EveryActivationPlainAndResidual() =>
        from residual in new[] { false, true }
        from activation in ActivationFunction.All
        select new TestCaseData(activation.Kind, residual);

    [TestCaseSource(nameof(EveryActivationPlainAndResidual))]
    public void Reported_norms_equal_finite_difference_estimates(Activation activation, bool residual)
    {
        var spec = new ExperimentSpec
        {
            Depth = 3, Width = 6, Activation = activation, Residual = residual, Precision = Precision.Float64,
            Init = Initialization.HeNormal, BiasSigma2 = 0.05,
        };
        using var generator = new Generator(11, CPU);
        using var model = Trainer.BuildMlp(spec, Inputs, float64, generator);
        using var x = randn(Examples, Inputs, float64, generator: generator);
        using var y = tensor(new long[] { 0, 3, 9, 3, 5 });
        var tracker = new GradientTracker(model);

        using var scope = NewDisposeScope();
        model.Backward(nn.functional.cross_entropy(model.forward(x), y));
        var measured = tracker.MeasureGradients();
        model.KeepActivations = false;

        for (int l = 0; l < model.Linears.Count; l++)
        {
            var linear = model.Linears[l];
            double weightOracle = Norm(CentralDifferences.Of(linear.weight!, () => Loss(model, x, y)));
            double deltaOracle = Norm(Enumerable.Range(0, Examples).SelectMany(n =>
                CentralDifferences.Of(linear.bias!, () => Loss(model, x[n..(n + 1)], y[n..(n + 1)]) / Examples)));

            measured.Get(l, Metric.WeightGradNorm).Should().BeApproximately(weightOracle, Tolerance * weightOracle,
                $"layer {l + 1}'s weight-gradient norm should match central differences");
            measured.Get(l, Metric.DeltaNorm).Should().BeApproximately(deltaOracle, Tolerance * deltaOracle,
                $"layer {l + 1}'s δ norm should match per-example central differences on its bias");
        }
    }

    static double Loss(Mlp model, Tensor x, Tensor y)
    {
        using var _ = no_grad();
        using var loss = nn.functional.cross_entropy(model.forward(x), y);
        return loss.item<double>();
    }

    static double Norm(IEnumerable<double> values) => Math.Sqrt(values.Sum(v => v * v));
}
