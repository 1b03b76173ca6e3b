using Experiments.Models;

namespace Experiments.Theory;

/// <summary>
/// Mean-field theory of signal propagation at initialisation (Poole et al. 2016; Schoenholz et al. 2017), weights
/// N(0, σ_w²/fan_in) and biases N(0, σ_b²). The pre-activation variance follows q_l = σ_w² E[φ(√q_{l−1} z)²] + σ_b²,
/// and back-propagated gradients follow E‖δ_l‖² = σ_w² E[φ′(√q_l z)²] · E‖δ_{l+1}‖² whatever the widths.
/// </summary>
public sealed record MeanField(Activation Activation, double SigmaW2, double SigmaB2 = 0)
{
    static readonly NormalQuadrature Quadrature = NormalQuadrature.Default;

    /// <summary>One step of the variance map: the next layer's pre-activation variance.</summary>
    public double NextVariance(double q) => HomogeneousGain is { } gain
        ? SigmaW2 * gain * q + SigmaB2
        : SigmaW2 * Expect(q, x => Square(Phi(x))) + SigmaB2;

    /// <summary>χ at variance q: the factor by which E‖δ‖² grows per layer, σ_w² E[φ′(√q z)²].</summary>
    public double Chi(double q) => HomogeneousGain is { } gain
        ? SigmaW2 * gain
        : SigmaW2 * Expect(q, x => Square(PhiPrime(x)));

    /// <summary>E[f(√q z)] for z ~ N(0, 1). At q = ∞ (the variance map of a net that grows without bound, GELU above σ_w² ≈ 2),
    /// √q z is +∞ or −∞ with probability ½ each: the mean of f's two limits, where quadrature would multiply ∞ by 0.</summary>
    static double Expect(double q, Func<double, double> f) => double.IsPositiveInfinity(q)
        ? (f(double.MaxValue) + f(-double.MaxValue)) / 2
        : Quadrature.Expect(z => f(Math.Sqrt(q) * z));

    /// <summary>The activation's op, φ, φ′ and closed forms, from its one descriptor.</summary>
    public ActivationFunction Function => ActivationFunction.Of(Activation);

    /// <summary>E[φ′(√q z)²] at every q &gt; 0 for a positively homogeneous φ (ReLU: ½); null where quadrature is needed.</summary>
    double? HomogeneousGain => Function.HomogeneousGain;

    /// <summary>The stable fixed point q* of the variance map (0 when the map contracts to 0, as tanh does at σ_w² ≤ 1,
    /// σ_b = 0; +∞ when it grows without bound, as ReLU does above σ_w² = 2 and GELU above about 2; NaN for ReLU at
    /// σ_w² = 2, σ_b = 0, where every q is fixed).</summary>
    public double FixedPoint()
    {
        if (HomogeneousGain is { } gain) // q ↦ σ_w² gain q + σ_b² is linear
        {
            double slope = SigmaW2 * gain;
            return slope < 1 ? SigmaB2 / (1 - slope)
                : slope == 1 && SigmaB2 == 0 ? double.NaN // every q is fixed: the critical line
                : double.PositiveInfinity;
        }
        // q ↦ g(q) − q is positive below q* and negative above it: bisect on it.
        double Gap(double q) => NextVariance(q) - q;
        double low = 0, high = 1;
        if (Gap(1e-12) <= 0) return 0;
        while (Gap(high) > 0)
        {
            high *= 2;
            if (double.IsInfinity(high)) return double.PositiveInfinity; // grows without bound: no finite fixed point
        }
        for (int i = 0; i < 200 && high - low > 1e-15 * high; i++)
        {
            double mid = (low + high) / 2;
            if (Gap(mid) > 0) low = mid; else high = mid;
        }
        return (low + high) / 2;
    }

    /// <summary>χ₁ = χ(q*): above 1 gradients explode with depth, below 1 they vanish; 1 is critical.</summary>
    public double Chi1() => Chi(FixedPoint());

    /// <summary>The largest <see cref="Chi1QuadratureError"/> at which the commands (theory, phase) accept a σ_w²: beyond it the
    /// numbers mean little.</summary>
    public const double AcceptedQuadratureError = 0.05;

    /// <summary>
    /// How far χ₁ moves when the quadrature's step is halved, relative to χ₁: an estimate of χ₁'s own error (tanh at
    /// σ_w² = 1000: 3.1e-8, as far as χ₁ is from adaptive integration). At rounding level while the nodes resolve φ′(√q* z)
    /// (tanh up to σ_w² ≈ 500); large when φ′ turns over between them (tanh at σ_w² = 10⁴: 9%), where the numbers mean nothing.
    /// </summary>
    public double Chi1QuadratureError()
    {
        double q = FixedPoint();
        if (HomogeneousGain != null || !(q > 0) || double.IsInfinity(q)) return 0; // closed forms and limits are exact
        double chi = Chi(q), finer = SigmaW2 * Finer.Expect(z => Square(PhiPrime(Math.Sqrt(q) * z)));
        // φ′ > 0 near 0 for every activation here, so a χ of 0 means every node missed the peak.
        return chi > 0 && finer > 0 ? Math.Abs(finer - chi) / chi : double.PositiveInfinity;
    }

    static readonly NormalQuadrature Finer = Quadrature.Finer();

    /// <summary>
    /// The pre-activation variances q_1..q_depth of a plain MLP's hidden layers. The first layer sees the inputs:
    /// q_1 = σ_w,1² · E[x²] + σ_b², with σ_w,1² its own (e.g. Glorot's 2·fan_in/(fan_in+fan_out)) and E[x²] the mean
    /// squared input.
    /// </summary>
    public double[] Variances(int depth, double firstLayerSigmaW2, double inputSecondMoment)
    {
        var q = new double[depth];
        q[0] = firstLayerSigmaW2 * inputSecondMoment + SigmaB2;
        for (int l = 1; l < depth; l++) q[l] = NextVariance(q[l - 1]);
        return q;
    }

    /// <summary>
    /// Predicted log10(‖δ_l‖ / ‖δ_depth‖) for every hidden layer l = 1..depth (the last is 0):
    /// ½ Σ_{k=l}^{depth−1} log10 χ(q_k), χ taken with the weights of layer k+1 (all σ_w² here).
    /// </summary>
    public double[] LogDeltaProfile(int depth, double firstLayerSigmaW2, double inputSecondMoment)
    {
        var q = Variances(depth, firstLayerSigmaW2, inputSecondMoment);
        var profile = new double[depth];
        for (int l = depth - 2; l >= 0; l--) profile[l] = profile[l + 1] + 0.5 * Math.Log10(Chi(q[l]));
        return profile;
    }

    /// <summary>Predicted log10(‖δ_1‖ / ‖δ_depth‖), first to last hidden layer.</summary>
    public double LogDeltaRatio(int depth, double firstLayerSigmaW2, double inputSecondMoment) =>
        LogDeltaProfile(depth, firstLayerSigmaW2, inputSecondMoment)[0];

    public double Phi(double x) => Function.Phi(x);

    public double PhiPrime(double x) => Function.PhiPrime(x);

    static double Square(double x) => x * x;
}
