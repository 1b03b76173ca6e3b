using Experiments.Models;

namespace Experiments.Theory;

/// <summary>
/// The mean-field correlation map of two inputs (Poole et al. 2016; Schoenholz, Gilmer, Ganguli and Sohl-Dickstein 2017,
/// "Deep Information Propagation"). Once both inputs' pre-activations have reached the fixed variance q*, their correlation c
/// becomes c′ = (σ_w² E[φ(u₁)φ(u₂)] + σ_b²) / q* in the next layer, with u₁ = √q* z₁ and u₂ = √q* (c z₁ + √(1−c²) z₂) for
/// independent standard normals z₁, z₂ (<see cref="NormalQuadrature"/> in each). Its stable fixed point c* is 1 in the ordered
/// phase (χ₁ &lt; 1: every pair of inputs ends up alike) and below 1 in the chaotic phase. Its slope there, χ_c, sets the depth
/// scale ξ_c = −1/ln χ_c over which information about two inputs' difference survives; ξ_q = −1/ln χ_q does the same for the
/// variance, with χ_q the slope of the variance map at q*.
/// </summary>
public sealed class CorrelationMap
{
    static readonly NormalQuadrature Quadrature = NormalQuadrature.Default;

    public MeanField Field { get; }
    /// <summary>The fixed variance q* both inputs' pre-activations settle at.</summary>
    public double Q { get; }

    public CorrelationMap(MeanField field)
    {
        Field = field;
        Q = field.FixedPoint();
        if (!(Q > 0) || double.IsInfinity(Q))
            throw new ArgumentException($"{field}: the correlation map needs a finite, positive fixed variance q*, not {Q}", nameof(field));
    }

    /// <summary>The next layer's correlation c′ for a correlation c in [−1, 1].</summary>
    public double Next(double c) => (Field.SigmaW2 * Expect(c, (a, b) => Field.Phi(a) * Field.Phi(b)) + Field.SigmaB2) / Q;

    /// <summary>dc′/dc = σ_w² E[φ′(u₁)φ′(u₂)] (Price's theorem: the derivative by the covariance q*c is the mean of φ′φ′).
    /// At c = 1 it is χ₁.</summary>
    public double Slope(double c) => Field.SigmaW2 * Expect(c, (a, b) => Field.PhiPrime(a) * Field.PhiPrime(b));

    /// <summary>
    /// The stable fixed point c*: 1 where χ₁ ≤ 1 (ordered or critical). Where χ₁ &gt; 1, c = 1 repels and the map, convex and
    /// increasing on [0, 1], crosses the diagonal once below 1 (at 0 for an odd φ without bias): bisection on the sign of c′ − c.
    /// </summary>
    public double FixedPoint()
    {
        if (Slope(1) <= 1) return 1;
        double low = 0, high = 1;
        if (Next(0) - 0 <= 0) return 0;
        for (int i = 0; i < 200 && high - low > 1e-15; i++)
        {
            double mid = (low + high) / 2;
            if (Next(mid) - mid >= 0) low = mid; else high = mid;
        }
        return (low + high) / 2;
    }

    /// <summary>χ_c: the slope of the correlation map at its stable fixed point c* (χ₁ in the ordered phase).</summary>
    public double ChiC() => Slope(FixedPoint());

    /// <summary>χ_q: the slope of the variance map q ↦ σ_w² E[φ(√q z)²] + σ_b² at q*. By Stein's lemma,
    /// d/dq E[φ(√q z)²] = E[φ(√q z) φ′(√q z) z] / √q, so no second derivative of φ is needed.</summary>
    public double ChiQ() =>
        Field.SigmaW2 * Quadrature.Expect(z => Field.Phi(Math.Sqrt(Q) * z) * Field.PhiPrime(Math.Sqrt(Q) * z) * z) / Math.Sqrt(Q);

    /// <summary>ξ_c = −1/ln χ_c: layers over which two inputs' correlation is still told apart from c*; +∞ at criticality.</summary>
    public double XiC() => DepthScale(ChiC());

    /// <summary>ξ_q = −1/ln χ_q: layers over which a pre-activation variance approaches q*.</summary>
    public double XiQ() => DepthScale(ChiQ());

    /// <summary>−1/ln χ for a contraction χ &lt; 1; +∞ from χ = 1 on (the map no longer contracts there).</summary>
    public static double DepthScale(double chi) => chi >= 1 ? double.PositiveInfinity : -1 / Math.Log(chi);

    /// <summary>
    /// The weight variance σ_w² at which χ₁ = 1 (the order-to-chaos boundary), for an activation whose χ₁ grows with σ_w²,
    /// found by bisection between <paramref name="low"/> (ordered) and <paramref name="high"/> (chaotic).
    /// </summary>
    public static double CriticalSigmaW2(Activation activation, double sigmaB2, double low = 0.1, double high = 16)
    {
        double Gap(double sigmaW2) => new MeanField(activation, sigmaW2, sigmaB2).Chi1() - 1;
        if (!(Gap(low) < 0 && Gap(high) > 0))
            throw new ArgumentException($"{activation} at σ_b² = {sigmaB2}: χ₁ does not cross 1 between σ_w² = {low} and {high}");
        for (int i = 0; i < 200 && high - low > 1e-13 * high; i++)
        {
            double mid = (low + high) / 2;
            if (Gap(mid) < 0) low = mid; else high = mid;
        }
        return (low + high) / 2;
    }

    /// <summary>E[f(u₁, u₂)] for the pair of pre-activations with variance q* and correlation c. At c = 1 every inner node
    /// gives f(u₁, u₁) and the inner weights sum to 1: the univariate rule, so Slope(1) is χ₁. Below 1, φ′(u₂)'s peak runs
    /// along c z₁ + √(1−c²) z₂ = 0, across the inner nodes; their spacing resolves it too (tanh, σ_w² = 4, σ_b² = 0.5,
    /// c* = 0.73: c* and χ_c within 4e-13 of adaptive integration).</summary>
    double Expect(double c, Func<double, double, double> f)
    {
        double s = Math.Sqrt(Q), cross = Math.Sqrt(Math.Max(0, 1 - c * c));
        return Quadrature.Expect(z1 => Quadrature.Expect(z2 => f(s * z1, s * (c * z1 + cross * z2))));
    }
}
