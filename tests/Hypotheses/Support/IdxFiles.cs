using System.IO.Compression;
using Experiments.Data;

namespace Hypotheses.Support;

/// <summary>Writes IDX files in the standard layout, for tests that need a data folder.</summary>
public static class IdxFiles
{
    public static void Write(string folder, string prefix, Digits digits, bool gzipped)
    {
        string suffix = gzipped ? ".gz" : "";
        WriteFile(Path.Combine(folder, $"{prefix}-images-idx3-ubyte{suffix}"), gzipped,
            Header(2051, digits.Count, digits.Rows, digits.Columns), digits.Pixels);
        WriteFile(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte{suffix}"), gzipped,
            Header(2049, digits.Count), digits.Labels);
    }

    public static byte[] Header(int magic, params int[] sizes) =>
        new[] { magic }.Concat(sizes).SelectMany(v => BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v))).ToArray();

    static void WriteFile(string path, bool gzipped, byte[] header, byte[] body)
    {
        using Stream file = File.Create(path);
        using Stream target = gzipped ? new GZipStream(file, CompressionLevel.Fastest) : file;
        target.Write(header);
        target.Write(body);
    }
}
