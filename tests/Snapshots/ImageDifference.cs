using SkiaSharp;

namespace Snapshots;

/// <summary>
/// How two renderings of a figure differ. Rendering noise between machines (anti-aliasing, glyph hinting) moves
/// edge pixels by a few intensity levels; a moved curve or label changes hundreds of pixels completely. So a pixel
/// counts as changed only when some channel differs by more than <see cref="ChannelTolerance"/> levels, and a figure
/// matches while at most <see cref="ChangedPixelTolerance"/> pixels changed.
/// </summary>
public sealed record ImageDifference(bool SameSize, int ChangedPixels, int MaxChannelDifference, string Description)
{
    /// <summary>Levels out of 255: a quarter of full contrast. Anti-aliasing shifts of edge pixels stay well below it.</summary>
    public const int ChannelTolerance = 64;

    /// <summary>Changed pixels allowed: a few glyph-edge pixels; a 2-pixel line moved by one pixel changes hundreds.</summary>
    public const int ChangedPixelTolerance = 24;

    public bool WithinTolerance => SameSize && ChangedPixels <= ChangedPixelTolerance;

    public static ImageDifference Compare(byte[] approvedPng, byte[] receivedPng)
    {
        using var approved = SKBitmap.Decode(approvedPng) ?? throw new InvalidDataException("approved snapshot is not a readable PNG");
        using var received = SKBitmap.Decode(receivedPng) ?? throw new InvalidDataException("received image is not a readable PNG");
        if (approved.Width != received.Width || approved.Height != received.Height)
            return new(false, approved.Width * approved.Height, 255,
                $"size changed from {approved.Width}×{approved.Height} to {received.Width}×{received.Height}");

        SKColor[] a = approved.Pixels, b = received.Pixels;
        int changed = 0, maxDifference = 0, firstX = -1, firstY = -1;
        for (int i = 0; i < a.Length; i++)
        {
            int difference = Math.Max(Math.Max(Math.Abs(a[i].Red - b[i].Red), Math.Abs(a[i].Green - b[i].Green)),
                Math.Max(Math.Abs(a[i].Blue - b[i].Blue), Math.Abs(a[i].Alpha - b[i].Alpha)));
            maxDifference = Math.Max(maxDifference, difference);
            if (difference <= ChannelTolerance) continue;
            if (changed++ == 0) (firstX, firstY) = (i % approved.Width, i / approved.Width);
        }
        string description = changed == 0
            ? $"no pixel differs by more than {ChannelTolerance} levels (largest difference {maxDifference})"
            : $"{changed:N0} pixels differ by more than {ChannelTolerance} levels (tolerance {ChangedPixelTolerance}), the first at x={firstX}, y={firstY}";
        return new(true, changed, maxDifference, description);
    }
}
