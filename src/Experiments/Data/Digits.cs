namespace Experiments.Data;

/// <summary>Labelled 8-bit images, row-major, <see cref="Rows"/>×<see cref="Columns"/> each.</summary>
public sealed record Digits(byte[] Pixels, byte[] Labels, int Rows, int Columns, string Source)
{
    /// <summary>The classes every data set here has (digits, or Fashion-MNIST's ten kinds of article): labels 0 to 9.</summary>
    public const int Classes = 10;

    public int Count => Labels.Length;
    public int PixelsPerImage => Rows * Columns;

    /// <summary>E[x²] over every pixel of every image, pixels scaled to [0, 1]: what the first layer's variance depends on.</summary>
    public double SecondMoment()
    {
        double sum = 0;
        foreach (byte p in Pixels) sum += p * p;
        return sum / Pixels.Length / (255.0 * 255.0);
    }

    /// <summary>E[x²] of each row of pixels (scaled to [0, 1]) over every image: a recurrent net's input at each time step.</summary>
    public double[] RowSecondMoments()
    {
        var sums = new double[Rows];
        for (int i = 0; i < Pixels.Length; i++)
        {
            byte p = Pixels[i];
            sums[i % PixelsPerImage / Columns] += p * p;
        }
        return sums.Select(sum => sum / ((double)Count * Columns) / (255.0 * 255.0)).ToArray();
    }

    /// <summary>E[x²] of each pixel of the image shrunk by 2×2 averaging (pixels scaled to [0, 1]), row-major: a recurrent
    /// net's input at each time step when it reads pixel by pixel.</summary>
    public double[] ShrunkPixelSecondMoments()
    {
        int rows = Rows / 2, columns = Columns / 2;
        var sums = new double[rows * columns];
        for (int image = 0; image < Count; image++)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++)
                {
                    int at = image * PixelsPerImage + 2 * r * Columns + 2 * c;
                    double mean = (Pixels[at] + Pixels[at + 1] + Pixels[at + Columns] + Pixels[at + Columns + 1]) / 4.0 / 255.0;
                    sums[r * columns + c] += mean * mean;
                }
        return sums.Select(sum => sum / Count).ToArray();
    }

    public static Digits FromIdx(string imagesPath, string labelsPath, string source)
    {
        var images = IdxReader.ReadImages(imagesPath);
        var labels = IdxReader.ReadLabels(labelsPath);
        return Checked(images, labels, source, imagesPath, labelsPath);
    }

    internal static Digits Checked((byte[] Pixels, int Count, int Rows, int Columns) images, byte[] labels,
        string source, string imagesName, string labelsName)
    {
        if (images.Count != labels.Length)
            throw new IdxFormatException($"{imagesName} has {images.Count:N0} images but {labelsName} has {labels.Length:N0} labels");
        // A label the model has no output for would fail inside libtorch, after the run's output folder exists.
        int outside = Array.FindIndex(labels, label => label >= Classes);
        if (outside >= 0)
            throw new IdxFormatException($"{labelsName}: label {labels[outside]} at index {outside}, expected 0 to {Classes - 1} (ten classes)");
        return new Digits(images.Pixels, labels, images.Rows, images.Columns, source);
    }

    /// <summary>The images at <paramref name="indices"/>, in that order.</summary>
    public Digits Select(IReadOnlyList<int> indices)
    {
        int size = PixelsPerImage;
        var pixels = new byte[indices.Count * size];
        var labels = new byte[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Array.Copy(Pixels, (long)indices[i] * size, pixels, (long)i * size, size);
            labels[i] = Labels[indices[i]];
        }
        return this with { Pixels = pixels, Labels = labels };
    }

    public int[] CountPerClass(int classes = Classes)
    {
        var counts = new int[classes];
        foreach (byte label in Labels) counts[label]++;
        return counts;
    }
}
