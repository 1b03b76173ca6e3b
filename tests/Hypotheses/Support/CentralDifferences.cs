using static TorchSharp.torch;

namespace Hypotheses.Support;

/// <summary>The oracle the tracker is checked against: central finite differences of a loss, in float64, one parameter
/// element at a time (perturbed in place, then restored), forward passes only.</summary>
public static class CentralDifferences
{
    public const double Epsilon = 1e-6;

    /// <summary>∂loss/∂p for every element p of <paramref name="parameter"/> (a float64 tensor), in memory order.</summary>
    public static List<double> Of(Tensor parameter, Func<double> loss)
    {
        using var _ = no_grad();
        using var flat = parameter.view(-1); // shares the parameter's storage
        var values = flat.data<double>();
        var derivatives = new List<double>();
        for (long i = 0; i < values.Count; i++)
        {
            double original = values[i];
            values[i] = original + Epsilon;
            double plus = loss();
            values[i] = original - Epsilon;
            double minus = loss();
            values[i] = original;
            derivatives.Add((plus - minus) / (2 * Epsilon));
        }
        return derivatives;
    }
}
