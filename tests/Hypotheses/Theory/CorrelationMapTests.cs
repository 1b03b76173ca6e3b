using Experiments.Models;
using Experiments.Theory;
using FluentAssertions;
using NUnit.Framework;

namespace Hypotheses.Theory;

/// <summary>The correlation map, its fixed point, χ_c and the depth scales against known values and Monte Carlo estimates.</summary>
[TestFixture, Category("Theory")]
public class CorrelationMapTests
{
    const double PaperBias = 0.05; // σ_b² of Schoenholz et al. 2017's phase diagrams

    static CorrelationMap Tanh(double sigmaW2, double sigmaB2 = PaperBias) => new(new MeanField(Activation.Tanh, sigmaW2, sigmaB2));

    [Test(Description = "The order-to-chaos line of tanh: σ_w² = 1 without bias (exact), about 1.76 at σ_b² = 0.05 (Schoenholz et al. 2017)")]
    public void Tanh_critical_line_is_where_the_paper_puts_it()
    {
        // Without bias q* = 0 and χ₁ = σ_w² φ′(0)² = σ_w²: critical at exactly 1. (The bisection's low end is ordered, its high end chaotic.)
        CorrelationMap.CriticalSigmaW2(Activation.Tanh, 0).Should().BeApproximately(1, 1e-9);
        double critical = CorrelationMap.CriticalSigmaW2(Activation.Tanh, PaperBias);
        // The paper's figures read 1.76 off a plot: two decimals.
        critical.Should().BeApproximately(1.76, 0.01);
        new MeanField(Activation.Tanh, critical, PaperBias).Chi1().Should().BeApproximately(1, 1e-9);
    }

    [Test(Description = "ξ_c diverges at the critical line from both sides and is finite away from it")]
    public void Xi_c_diverges_at_the_critical_line()
    {
        double critical = CorrelationMap.CriticalSigmaW2(Activation.Tanh, PaperBias);
        var ordered = new[] { 0.5, 0.1, 0.01, 0.001 }.Select(d => Tanh(critical - d).XiC()).ToList();
        var chaotic = new[] { 2.0, 0.5, 0.1, 0.01, 0.001 }.Select(d => Tanh(critical + d).XiC()).ToList();
        ordered.Should().BeInAscendingOrder().And.OnlyContain(x => double.IsFinite(x) && x > 0);
        chaotic.Should().BeInAscendingOrder().And.OnlyContain(x => double.IsFinite(x) && x > 0);
        // ξ_c ~ 1/|χ_c − 1| ~ 1/|σ_w² − σ_c²|: a step of 10⁻³ from the line gives hundreds of layers, one of 0.5 a handful.
        ordered[^1].Should().BeGreaterThan(300);
        chaotic[^1].Should().BeGreaterThan(300);
        ordered[0].Should().BeLessThan(20);
        chaotic[0].Should().BeLessThan(20);
    }

    [TestCase(1.0), TestCase(1.5)]
    [Test(Description = "In the ordered phase c* = 1 and χ_c = χ₁: the bivariate quadrature at c = 1 is the univariate one")]
    public void Ordered_phase_has_c_star_one_and_chi_c_equal_to_chi1(double sigmaW2)
    {
        var map = Tanh(sigmaW2);
        map.FixedPoint().Should().Be(1);
        map.ChiC().Should().BeApproximately(map.Field.Chi1(), 1e-12).And.BeLessThan(1);
        map.Next(1).Should().BeApproximately(1, 1e-12, "c = 1 is fixed whenever q = q*");
        map.XiC().Should().BeApproximately(-1 / Math.Log(map.Field.Chi1()), 1e-9);
    }

    [Test(Description = "Chaotic tanh without bias: c* = 0 by symmetry (φ odd), χ_c = σ_w² E[φ′(√q* z)]²")]
    public void Chaotic_odd_activation_without_bias_decorrelates_fully()
    {
        var map = Tanh(2, sigmaB2: 0);
        map.FixedPoint().Should().BeApproximately(0, 1e-12);
        double meanSlope = NormalQuadrature.Default.Expect(z => map.Field.PhiPrime(Math.Sqrt(map.Q) * z));
        map.ChiC().Should().BeApproximately(2 * meanSlope * meanSlope, 1e-12, "at c = 0 the two pre-activations are independent");
    }

    [TestCase(2.5), TestCase(4.0)]
    [Test(Description = "Chaotic phase: the map, its fixed point and its slope against a Monte Carlo estimate")]
    public void Correlation_map_matches_monte_carlo(double sigmaW2)
    {
        var map = Tanh(sigmaW2);
        double cStar = map.FixedPoint();
        cStar.Should().BeInRange(0.05, 0.95, "σ_b² > 0 keeps c* above 0; chaos keeps it below 1");
        var z1 = MeanFieldTests.StandardNormals(1_000_000, seed: 3);
        var z2 = MeanFieldTests.StandardNormals(1_000_000, seed: 4);
        double MonteCarlo(double c)
        {
            double s = Math.Sqrt(map.Q), cross = Math.Sqrt(1 - c * c), sum = 0;
            for (int i = 0; i < z1.Length; i++) sum += Math.Tanh(s * z1[i]) * Math.Tanh(s * (c * z1[i] + cross * z2[i]));
            return (sigmaW2 * sum / z1.Length + PaperBias) / map.Q;
        }
        // 10⁶ samples: the standard error of E[φφ] is about 7e-4, of c′ below 1e-3 here; 4e-3 is four of them or more.
        MonteCarlo(0.5).Should().BeApproximately(map.Next(0.5), 4e-3);
        MonteCarlo(cStar).Should().BeApproximately(cStar, 4e-3, "c* is fixed");
        // The slope by central differences of the sampled map (common samples, so their noise largely cancels), against
        // Price's theorem's σ_w² E[φ′φ′]; the difference's curvature error at h = 0.02 is below 1e-4.
        const double h = 0.02;
        double slope = (MonteCarlo(cStar + h) - MonteCarlo(cStar - h)) / (2 * h);
        slope.Should().BeApproximately(map.ChiC(), 0.01);
        map.ChiC().Should().BeLessThan(1, "c* is stable");
    }

    [TestCase(1.0), TestCase(1.76), TestCase(4.0)]
    [Test(Description = "χ_q by Stein's lemma equals the variance map's slope at q* by central differences")]
    public void Chi_q_is_the_slope_of_the_variance_map(double sigmaW2)
    {
        var map = Tanh(sigmaW2);
        double h = 1e-4 * map.Q;
        double slope = (map.Field.NextVariance(map.Q + h) - map.Field.NextVariance(map.Q - h)) / (2 * h);
        map.ChiQ().Should().BeApproximately(slope, 1e-7).And.BeLessThan(1, "q* is stable");
        map.XiQ().Should().BeApproximately(-1 / Math.Log(slope), 1e-4);
    }
}
