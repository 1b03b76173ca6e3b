namespace Experiments.Phase;

/// <summary>
/// Whether a cell of the phase grid trains, as a measured probability: how many of its seeds reach
/// <see cref="PhaseGrid.Trained"/>, and the Wilson score interval (95%) of that share. Next to the boundary a cell is a
/// coin flip, and a median over two or three seeds decides it by chance; the interval says when it is decided.
/// </summary>
public sealed record Trainability(int Trained, int Seeds)
{
    /// <summary>The standard normal's 97.5% quantile: a two-sided 95% interval.</summary>
    const double Z = 1.959963984540054;

    public double Fraction => Seeds == 0 ? double.NaN : (double)Trained / Seeds;

    /// <summary>The Wilson score interval: the shares p for which the observed share is within Z standard errors
    /// √(p(1−p)/n) of p. Unlike p̂ ± Z·√(p̂(1−p̂)/n) it does not shrink to a point at 0 of n or n of n. [0, 1] for no seed.</summary>
    public (double Low, double High) Interval
    {
        get
        {
            if (Seeds == 0) return (0, 1);
            double n = Seeds, p = Fraction, z2 = Z * Z;
            double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
            double half = Z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
            return (Math.Max(0, centre - half), Math.Min(1, centre + half));
        }
    }

    /// <summary>The interval holds one half: more seeds could put the cell on either side of the boundary. With fewer than
    /// 4 seeds every cell is undecided, even one whose seeds all agree (3 of 3 gives [0.44, 1]; 4 of 4 gives [0.51, 1]).</summary>
    public bool Undecided => Interval.Low <= 0.5 && 0.5 <= Interval.High;
}
