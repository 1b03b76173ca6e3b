using Experiments.Models;
using Experiments.Theory;
using FluentAssertions;
using NUnit.Framework;

namespace Hypotheses.Theory;

/// <summary>The theory code against known values and an independent Monte Carlo estimate.</summary>
[TestFixture, Category("Theory")]
public class MeanFieldTests
{
    [Test]
    public void Quadrature_gives_the_normal_moments()
    {
        var quadrature = NormalQuadrature.Default;
        quadrature.Expect(_ => 1).Should().BeApproximately(1, 1e-12);
        quadrature.Expect(z => z * z).Should().BeApproximately(1, 1e-12);
        quadrature.Expect(z => Math.Pow(z, 4)).Should().BeApproximately(3, 1e-11);
        quadrature.Expect(z => Math.Pow(z, 6)).Should().BeApproximately(15, 1e-10);
        quadrature.Expect(z => Math.Cos(z)).Should().BeApproximately(Math.Exp(-0.5), 1e-12); // E[cos z] = e^{-1/2}
    }

    [TestCase(0.5), TestCase(1.0), TestCase(2.0), TestCase(4.0)]
    public void Relu_chi1_is_half_the_weight_variance(double sigmaW2)
    {
        new MeanField(Activation.Relu, sigmaW2).Chi1().Should().Be(sigmaW2 / 2);
        // Leaky ReLU's closed form, χ = σ_w²(1 + 0.01²)/2 at every q, against quadrature over its φ′.
        var leaky = new MeanField(Activation.LeakyRelu, sigmaW2);
        double quadrature = sigmaW2 * NormalQuadrature.Default.Expect(z => Math.Pow(leaky.PhiPrime(Math.Sqrt(0.7) * z), 2));
        leaky.Chi(q: 0.7).Should().BeApproximately(quadrature, 1e-12).And.BeApproximately(sigmaW2 * (1 + 1e-4) / 2, 1e-12);
    }

    [Test]
    public void Tanh_is_critical_at_unit_weight_variance_without_bias()
    {
        var critical = new MeanField(Activation.Tanh, 1.0);
        critical.FixedPoint().Should().Be(0);
        critical.Chi1().Should().BeApproximately(1, 1e-12);
        new MeanField(Activation.Tanh, 0.9).Chi1().Should().BeLessThan(1, "σ_w² < 1 is the ordered phase");
        new MeanField(Activation.Tanh, 1.1).Chi1().Should().BeGreaterThan(1, "σ_w² > 1 is the chaotic phase");
    }

    [Test(Description = "Sigmoid at σ_w² = 1: fixed point and χ₁ against a brute-force Monte Carlo estimate")]
    public void Sigmoid_fixed_point_and_chi1_match_monte_carlo()
    {
        var field = new MeanField(Activation.Sigmoid, 1.0);
        var z = StandardNormals(2_000_000, seed: 17);
        double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        double q = 1;
        for (int i = 0; i < 100; i++) q = z.Average(v => Math.Pow(Sigmoid(Math.Sqrt(q) * v), 2)); // contracts fast
        double chi = z.Average(v => Math.Pow(Sigmoid(Math.Sqrt(q) * v) * (1 - Sigmoid(Math.Sqrt(q) * v)), 2));

        // 2·10⁶ samples: standard errors are ~1e-4 relative for both; 2e-3 leaves a wide margin.
        field.FixedPoint().Should().BeApproximately(q, 2e-3 * q);
        field.Chi1().Should().BeApproximately(chi, 2e-3 * chi);
        field.Chi1().Should().BeApproximately(0.056, 0.001, "sigmoid at σ_w² = 1 is deep in the ordered phase: δ shrinks by √χ₁ ≈ 0.24 per layer");
    }

    static IEnumerable<TestCaseData> EveryActivationAndVariance() =>
        from activation in ActivationFunction.All.Select(a => a.Kind)
        from sigmaW2 in new[] { 0.5, 1, 2, 4, 16 }
        from sigmaB2 in new[] { 0, 0.05 }
        select new TestCaseData(activation, sigmaW2, sigmaB2);

    [TestCaseSource(nameof(EveryActivationAndVariance))]
    public void Chi1_agrees_with_the_delta_column(Activation activation, double sigmaW2, double sigmaB2)
    {
        // The theory command prints χ₁ and, in the same row, log10 δ first/last = ½ Σ log10 χ(q_l) over depth − 1 layers,
        // the first layer with the same σ_w² and the embedded sample's E[x²]. Once q_l has reached q*, each layer adds
        // ½ log10 χ₁; a deep net makes the first layers' approach to q* a small share of the sum.
        const int depth = 200;
        const double inputSecondMoment = 0.1125;
        var field = new MeanField(activation, sigmaW2, sigmaB2);
        double perLayer = 2 * field.LogDeltaRatio(depth, sigmaW2, inputSecondMoment) / (depth - 1);
        // 0.02 in log10 per layer (a factor of 1.05 in χ): far below the gap a wrong χ₁ leaves (leaky ReLU at σ_w² = 1 printed
        // χ₁ = 1e-4, 3.7 in log10, against the 0.5 its δ column implies), above the slow approach to q* near criticality.
        perLayer.Should().BeApproximately(Math.Log10(field.Chi1()), 0.02,
            $"{activation} at σ_w² = {sigmaW2}, σ_b² = {sigmaB2}: χ₁ = {field.Chi1()}, δ column per layer {perLayer}");
    }

    internal static double[] StandardNormals(int count, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (int i = 0; i < count; i += 2) // Box–Muller
        {
            double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())), angle = 2 * Math.PI * random.NextDouble();
            values[i] = radius * Math.Cos(angle);
            if (i + 1 < count) values[i + 1] = radius * Math.Sin(angle);
        }
        return values;
    }
}
