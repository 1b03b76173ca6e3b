using static TorchSharp.torch;

namespace Experiments.Models;

/// <summary>The activations a spec can name. Each has one <see cref="ActivationFunction"/> below: adding one is this file.</summary>
public enum Activation { Sigmoid, Tanh, Relu, LeakyRelu, Gelu, Silu }

/// <summary>
/// Everything the harness knows of one activation, side by side: the TorchSharp op the model applies, φ and φ′ for the
/// mean-field theory, the closed form of its gain where one exists, and the masks its health metrics count.
/// </summary>
/// <param name="Apply">The model's op on a tensor. It must create no temporary Scalar: hold constants in <see cref="Scalars"/>.</param>
/// <param name="Phi">φ(x) in float64, for the theory.</param>
/// <param name="PhiPrime">φ′(x), for the theory (tested against finite differences of <paramref name="Phi"/>).</param>
/// <param name="HomogeneousGain">For a positively homogeneous φ, E[φ′(√q z)²] = E[φ(√q z)²]/q, the same at every q &gt; 0;
/// null otherwise. The theory uses it instead of quadrature, which at q = 0 would read φ′(0) alone.</param>
/// <param name="Saturation">Where an output sits on a flat tail (φ′ ≈ 0): farther than a margin from a centre; null for an
/// activation without one.</param>
/// <param name="InactiveAtOrBelowZero">Whether outputs at or below 0 pass no gradient back (ReLU's zeros); a unit inactive on
/// a whole batch is dead.</param>
public sealed record ActivationFunction(
    Activation Kind,
    Func<Tensor, Tensor> Apply,
    Func<double, double> Phi,
    Func<double, double> PhiPrime,
    double? HomogeneousGain = null,
    SaturationBand? Saturation = null,
    bool InactiveAtOrBelowZero = false)
{
    /// <summary>Leaky ReLU's slope for negative inputs (PyTorch's default), in the model and in the theory.</summary>
    public const double LeakySlope = 0.01;

    /// <summary>Every activation, in the order of <see cref="Activation"/>.</summary>
    public static readonly IReadOnlyList<ActivationFunction> All =
    [
        new(Activation.Sigmoid, z => nn.functional.sigmoid(z),
            Phi: Logistic,
            PhiPrime: x => Logistic(x) * (1 - Logistic(x)),
            Saturation: new(Center: 0.5, Margin: 0.49)), // below 0.01 or above 0.99
        new(Activation.Tanh, z => nn.functional.tanh(z),
            Phi: Math.Tanh,
            PhiPrime: x => 1 - Math.Tanh(x) * Math.Tanh(x),
            Saturation: new(Center: 0, Margin: 0.99)),
        new(Activation.Relu, z => nn.functional.relu(z),
            Phi: x => Math.Max(x, 0),
            PhiPrime: x => x > 0 ? 1 : 0,
            HomogeneousGain: 0.5, // E[φ′²] = P(z > 0)
            InactiveAtOrBelowZero: true),
        new(Activation.LeakyRelu, z => z.leaky_relu(Scalars.LeakySlope),
            Phi: x => x > 0 ? x : LeakySlope * x,
            PhiPrime: x => x > 0 ? 1 : LeakySlope,
            HomogeneousGain: (1 + LeakySlope * LeakySlope) / 2,
            InactiveAtOrBelowZero: true), // the negative side passes 1% of the gradient: "dead" is the ReLU sense
        new(Activation.Gelu, z => nn.functional.gelu(z),
            Phi: x => x * NormalCdf(x),
            PhiPrime: x => NormalCdf(x) + x * Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI)),
        new(Activation.Silu, z => nn.functional.silu(z), // x·σ(x), also called swish
            Phi: x => x * Logistic(x),
            PhiPrime: x => Logistic(x) * (1 + x * (1 - Logistic(x)))),
    ];

    public static ActivationFunction Of(Activation kind) =>
        All.FirstOrDefault(a => a.Kind == kind) ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "no descriptor");

    static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>Φ(x) through erfc, by the Numerical Recipes' Chebyshev fit (relative error &lt; 1.2e-7).</summary>
    static double NormalCdf(double x)
    {
        double u = -x / Math.Sqrt(2), z = Math.Abs(u), t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
                      t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return 0.5 * (u >= 0 ? erfc : 2 - erfc);
    }
}

/// <summary>An activation's flat tails: outputs farther than <paramref name="Margin"/> from <paramref name="Center"/>, compared
/// in the output's precision.</summary>
public sealed record SaturationBand(double Center, double Margin);
