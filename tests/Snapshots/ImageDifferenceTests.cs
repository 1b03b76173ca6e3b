using Experiments.Models;
using Experiments.Plotting;
using Experiments.Records;
using Experiments.Training;
using Experiments.Workers;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;
using ScottPlot;
using SkiaSharp;

namespace Snapshots;

/// <summary>The figure comparison tolerates rendering noise but not a moved curve.</summary>
[TestFixture]
public class ImageDifferenceTests
{
    static byte[] Overview() =>
        SummaryFigures.Overview([RunCache.Get(ClassicSnapshots.Condition(Activation.Relu, 5))]).Render(FigureStyle.Width, FigureStyle.Height).GetImageBytes();

    [Test]
    public void A_rerender_matches()
    {
        var difference = ImageDifference.Compare(Overview(), Overview());
        difference.WithinTolerance.Should().BeTrue(difference.Description);
    }

    [Test]
    public void Anti_aliasing_noise_on_every_edge_matches()
    {
        byte[] original = Overview();
        // Shift every partly covered (anti-aliased) pixel by up to ±40 levels, as another rasteriser might draw it.
        byte[] noisy = MapPixels(original, (c, i) => c.Red is > 10 and < 245
            ? new SKColor(Clamp(c.Red + (i % 3 - 1) * 40), Clamp(c.Green - (i % 3 - 1) * 40), c.Blue, c.Alpha)
            : c);

        var difference = ImageDifference.Compare(original, noisy);
        TestContext.Out.WriteLine($"anti-aliasing noise: {difference.Description}");

        difference.MaxChannelDifference.Should().BeGreaterThan(30, "the noise must really be there");
        difference.WithinTolerance.Should().BeTrue(difference.Description);
    }

    [Test]
    public void A_curve_moved_by_one_pixel_does_not_match()
    {
        var (original, dataHeight) = Line(shiftPixels: 0);
        var (moved, _) = Line(shiftPixels: 1);
        dataHeight.Should().BeGreaterThan(100);

        var difference = ImageDifference.Compare(original, moved);
        TestContext.Out.WriteLine($"one-pixel shift: {difference.Description}");

        difference.WithinTolerance.Should().BeFalse(difference.Description);
        difference.ChangedPixels.Should().BeGreaterThan(10 * ImageDifference.ChangedPixelTolerance);
    }

    /// <summary>A figure-styled line plot with fixed axes, its curve raised by whole pixels.</summary>
    static (byte[] Png, float DataHeight) Line(int shiftPixels)
    {
        var plot = FigureStyle.NewPlot("a curve", "x", "y");
        plot.Axes.SetLimits(0, 10, 0, 10);
        plot.GetImageBytes(FigureStyle.Width, FigureStyle.Height, ImageFormat.Png); // lays out the data area
        float dataHeight = plot.RenderManager.LastRender.DataRect.Height;
        double onePixel = 10.0 / dataHeight;
        var xs = Enumerable.Range(0, 50).Select(i => i * 0.2).ToArray();
        var line = plot.Add.ScatterLine(xs, xs.Select(x => 5 + 3 * Math.Sin(x) + shiftPixels * onePixel).ToArray());
        line.LineWidth = 2;
        plot.Axes.SetLimits(0, 10, 0, 10);
        return (plot.GetImageBytes(FigureStyle.Width, FigureStyle.Height, ImageFormat.Png), dataHeight);
    }

    static byte[] MapPixels(byte[] png, Func<SKColor, int, SKColor> map)
    {
        using var bitmap = SKBitmap.Decode(png);
        var pixels = bitmap.Pixels;
        for (int i = 0; i < pixels.Length; i++) pixels[i] = map(pixels[i], i);
        bitmap.Pixels = pixels;
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
