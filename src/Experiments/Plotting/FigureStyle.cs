using ScottPlot;

namespace Experiments.Plotting;

/// <summary>
/// One look for every figure: the shipped DejaVu Sans (so text never depends on the machine's fonts),
/// fixed sizes, log10 axes labelled in powers of ten, layers coloured by depth.
/// </summary>
public static class FigureStyle
{
    public const string Font = "DejaVu Sans";
    public const int Width = 900, Height = 600;
    static readonly object FontLock = new();
    static bool fontsAdded;

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        EnsureFonts();
        var plot = new Plot();
        plot.Font.Set(Font);
        plot.Title(title, size: 16);
        plot.XLabel(xLabel, size: 14);
        plot.YLabel(yLabel, size: 14);
        plot.Axes.Title.Label.FontName = Font;
        return plot;
    }

    /// <summary>The y axis shows log10 values: label majors 10ⁿ at whole n, minors at 2..9 × 10ⁿ.</summary>
    public static void LogY(Plot plot) => plot.Axes.Left.TickGenerator = LogTicks();

    static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = PowerOfTen,
    };

    /// <summary>10 with a superscript exponent, e.g. 10⁻³.</summary>
    public static string PowerOfTen(double exponent)
    {
        const string superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        int n = (int)Math.Round(exponent);
        string digits = string.Concat(Math.Abs(n).ToString().Select(c => superscripts[c - '0']));
        return "10" + (n < 0 ? "⁻" : "") + digits;
    }

    /// <summary>Colour of layer <paramref name="index"/> of <paramref name="count"/>: dark (input side) to bright (output side).</summary>
    public static Color LayerColor(int index, int count) =>
        new ScottPlot.Colormaps.Viridis().GetColor(count <= 1 ? 0 : 0.9 * index / (count - 1));

    /// <summary>Points with finite coordinates only: a diverged run still draws what it measured.</summary>
    public static (double[] X, double[] Y) Finite(IEnumerable<double> xs, IEnumerable<double> ys)
    {
        var pairs = xs.Zip(ys).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToArray();
        return (pairs.Select(p => p.First).ToArray(), pairs.Select(p => p.Second).ToArray());
    }

    static void EnsureFonts()
    {
        lock (FontLock)
        {
            if (fontsAdded) return;
            string folder = Path.Combine(AppContext.BaseDirectory, "Fonts");
            Fonts.AddFontFile(Font, Path.Combine(folder, "DejaVuSans.ttf"), bold: false, italic: false);
            Fonts.AddFontFile(Font, Path.Combine(folder, "DejaVuSans-Bold.ttf"), bold: true, italic: false);
            Fonts.Default = Font;
            fontsAdded = true;
        }
    }
}
