using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Models;

/// <summary>
/// Draws initial weights from a run's own generator. TorchSharp's init functions do not all take a generator
/// (orthogonal_ does not), so every formula is applied here with uniform_/normal_/randn on that generator.
/// </summary>
public static class Initializer
{
    public static void Apply(TorchSharp.Modules.Linear layer, Initialization init, double? sigmaW2, double biasSigma2,
        Generator generator)
    {
        using var _ = no_grad();
        long fanIn = layer.weight!.shape[1];
        ApplyWeight(layer.weight, init, sigmaW2, generator);
        if (init == Initialization.TorchDefault) Uniform(layer.bias!, 1 / Math.Sqrt(fanIn), generator);
        else if (biasSigma2 > 0) layer.bias!.normal_(0, Math.Sqrt(biasSigma2), generator);
        else layer.bias!.zero_();
    }

    /// <summary>Draws a weight matrix [fan_out, fan_in] (or a view of one) as <paramref name="init"/> says.</summary>
    public static void ApplyWeight(Tensor weight, Initialization init, double? sigmaW2, Generator generator)
    {
        using var _ = no_grad();
        long fanOut = weight.shape[0], fanIn = weight.shape[1];
        switch (init)
        {
            case Initialization.GlorotUniform: Uniform(weight, Math.Sqrt(6.0 / (fanIn + fanOut)), generator); break;
            case Initialization.GlorotNormal: weight.normal_(0, Math.Sqrt(2.0 / (fanIn + fanOut)), generator); break;
            case Initialization.HeUniform: Uniform(weight, Math.Sqrt(6.0 / fanIn), generator); break;
            case Initialization.HeNormal: weight.normal_(0, Math.Sqrt(2.0 / fanIn), generator); break;
            case Initialization.LecunNormal: weight.normal_(0, Math.Sqrt(1.0 / fanIn), generator); break;
            case Initialization.Normal: weight.normal_(0, Math.Sqrt(RequireSigma(sigmaW2) / fanIn), generator); break;
            case Initialization.Orthogonal: Orthogonal(weight, Math.Sqrt(sigmaW2 ?? 1.0), generator); break;
            case Initialization.TorchDefault: Uniform(weight, 1 / Math.Sqrt(fanIn), generator); break;
            default: throw new ArgumentOutOfRangeException(nameof(init), init, null);
        }
    }

    /// <summary>σ_w² = fan_in·Var(W) for a layer of the given shape: what mean-field theory calls the weight variance.</summary>
    public static double SigmaW2(Initialization init, double? sigmaW2, long fanIn, long fanOut) => init switch
    {
        Initialization.GlorotUniform or Initialization.GlorotNormal => 2.0 * fanIn / (fanIn + fanOut),
        Initialization.HeUniform or Initialization.HeNormal => 2.0,
        Initialization.LecunNormal => 1.0,
        Initialization.Normal => RequireSigma(sigmaW2),
        // An orthogonal m×n matrix (m ≥ n) has unit columns: Var(W) = 1/m, so fan_in·Var(W) = n/m · gain².
        Initialization.Orthogonal => (sigmaW2 ?? 1.0) * Math.Min(fanIn, fanOut) / fanOut,
        Initialization.TorchDefault => 1.0 / 3.0,
        _ => throw new ArgumentOutOfRangeException(nameof(init), init, null),
    };

    static double RequireSigma(double? sigmaW2) =>
        sigmaW2 ?? throw new ArgumentException("normal initialisation needs a weight variance σ_w²", nameof(sigmaW2));

    static void Uniform(Tensor tensor, double bound, Generator generator) => tensor.uniform_(-bound, bound, generator);

    static void Orthogonal(Tensor weight, double gain, Generator generator)
    {
        long rows = weight.shape[0], columns = weight.shape[1];
        bool tall = rows >= columns;
        using var gaussian = randn(tall ? rows : columns, tall ? columns : rows, dtype: weight.dtype, generator: generator);
        var (q, r) = linalg.qr(gaussian);
        using (q) using (r)
        using (var signs = r.diagonal().sign())
        using (var fixedQ = q * signs) // makes the distribution uniform over orthogonal matrices
        using (var oriented = tall ? fixedQ : fixedQ.t())
        using (var gainScalar = gain.ToScalar()) // held: a temporary Scalar may be freed mid-call (see Scalars)
        using (var scaled = oriented.mul(gainScalar))
            weight.copy_(scaled);
    }
}
