using Experiments.Models;
using FluentAssertions;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Hypotheses.Foundation;

/// <summary>
/// Each activation's descriptor against itself: φ′ against central differences of φ, and φ against the model's TorchSharp
/// op. Cases come from the descriptors, so a new activation is tested the moment it is added.
/// </summary>
[TestFixture, Category("Foundation")]
public class ActivationTests
{
    // Away from ReLU's kink at 0, where φ′ has no value for finite differences to approach.
    static readonly double[] Points = [-6.1, -3.7, -1.3, -0.4, -0.05, 0.03, 0.3, 1.1, 2.9, 5.3];

    static IEnumerable<TestCaseData> Every() => ActivationFunction.All.Select(a => new TestCaseData(a).SetArgDisplayNames(a.Kind.ToString()));

    [TestCaseSource(nameof(Every))]
    public void PhiPrime_matches_finite_differences_of_phi(ActivationFunction activation)
    {
        const double h = 1e-5;
        foreach (double x in Points)
        {
            double estimate = (activation.Phi(x + h) - activation.Phi(x - h)) / (2 * h);
            // Central differences err by h²φ‴/6 ≈ 1e-11 plus round-off ε·φ/h ≈ 1e-11; GELU's Φ is a fit good to 1.2e-7, whose
            // derivative can be off by about 1e-6. 1e-5 clears both, and a wrong φ′ (a lost factor, a wrong sign) misses by 1e-1 or more.
            activation.PhiPrime(x).Should().BeApproximately(estimate, 1e-5, $"{activation.Kind} at x = {x}");
        }
    }

    [TestCaseSource(nameof(Every))]
    public void Phi_matches_the_models_op(ActivationFunction activation)
    {
        using var scope = NewDisposeScope();
        var output = activation.Apply(tensor(Points, float64)).data<double>().ToArray();
        for (int i = 0; i < Points.Length; i++)
            // libtorch computes in float64 to round-off; the 1e-6 is GELU's Φ fit (relative error 1.2e-7, times |x| up to 6).
            activation.Phi(Points[i]).Should().BeApproximately(output[i], 1e-6, $"{activation.Kind} at x = {Points[i]}");
    }

    static IEnumerable<TestCaseData> Homogeneous() => Every().Where(c => ((ActivationFunction)c.Arguments[0]!).HomogeneousGain != null);

    [TestCaseSource(nameof(Homogeneous))]
    public void A_homogeneous_gain_is_E_phi_prime_squared(ActivationFunction activation)
    {
        double gain = activation.HomogeneousGain!.Value;
        // E[φ′(z)²] for z ~ N(0, 1), by the trapezoid rule on [−10, 10] (the tails beyond hold less than 1e-20).
        const int steps = 200_000;
        double sum = 0, dz = 20.0 / steps;
        for (int i = 0; i <= steps; i++)
        {
            double z = -10 + i * dz, weight = i == 0 || i == steps ? 0.5 : 1;
            sum += weight * Math.Pow(activation.PhiPrime(z), 2) * Math.Exp(-z * z / 2) / Math.Sqrt(2 * Math.PI) * dz;
        }
        gain.Should().BeApproximately(sum, 1e-4, "the closed form must be what quadrature would give (the kink costs the rule O(dz))");
    }

    [Test]
    public void Every_activation_has_exactly_one_descriptor() =>
        ActivationFunction.All.Select(a => a.Kind).Should().Equal(Enum.GetValues<Activation>());
}
