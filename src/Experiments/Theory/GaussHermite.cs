namespace Experiments.Theory;

/// <summary>
/// Gauss–Hermite quadrature for expectations over a standard normal z: E[f(z)] ≈ Σ wᵢ f(√2 xᵢ) / √π, with xᵢ the roots
/// of the physicists' Hermite polynomial Hₙ (found by Newton's method from the usual asymptotic starting points).
/// Exact for polynomials up to degree 2n−1; an even n puts no node at 0, so symmetric step functions (ReLU's φ′)
/// integrate exactly too.
/// </summary>
public sealed class GaussHermite
{
    public static readonly GaussHermite Default = new(96);

    readonly double[] nodes;
    readonly double[] weights;

    public GaussHermite(int order)
    {
        if (order < 2 || order % 2 != 0) throw new ArgumentOutOfRangeException(nameof(order), "use an even order of at least 2");
        (nodes, weights) = Compute(order);
    }

    /// <summary>E[f(z)] for z ~ N(0, 1).</summary>
    public double Expect(Func<double, double> f)
    {
        double sum = 0;
        for (int i = 0; i < nodes.Length; i++) sum += weights[i] * f(Math.Sqrt(2) * nodes[i]);
        return sum / Math.Sqrt(Math.PI);
    }

    // Newton iteration on the orthonormal Hermite recurrence (Numerical Recipes' gauher scheme, rewritten).
    static (double[] Nodes, double[] Weights) Compute(int n)
    {
        var x = new double[n];
        var w = new double[n];
        double z = 0;
        double pi4 = Math.Pow(Math.PI, -0.25);
        for (int i = 0; i < (n + 1) / 2; i++)
        {
            z = i switch
            {
                0 => Math.Sqrt(2.0 * n + 1) - 1.85575 * Math.Pow(2.0 * n + 1, -1.0 / 6),
                1 => z - 1.14 * Math.Pow(n, 0.426) / z,
                2 => 1.86 * z - 0.86 * x[0],
                3 => 1.91 * z - 0.91 * x[1],
                _ => 2.0 * z - x[i - 2],
            };
            double derivative = 0;
            for (int iteration = 0; iteration < 100; iteration++)
            {
                double p1 = pi4, p2 = 0;
                for (int j = 1; j <= n; j++)
                {
                    double p3 = p2;
                    p2 = p1;
                    p1 = z * Math.Sqrt(2.0 / j) * p2 - Math.Sqrt((j - 1.0) / j) * p3;
                }
                derivative = Math.Sqrt(2.0 * n) * p2;
                double step = p1 / derivative;
                z -= step;
                if (Math.Abs(step) < 1e-15) break;
            }
            x[i] = z;
            x[n - 1 - i] = -z;
            w[i] = w[n - 1 - i] = 2.0 / (derivative * derivative);
        }
        return (x, w);
    }
}
