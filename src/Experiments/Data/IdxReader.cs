using System.IO.Compression;

namespace Experiments.Data;

/// <summary>A file that is not a valid IDX file of the kind asked for. The message names the file.</summary>
public sealed class IdxFormatException(string message, Exception? inner = null) : BadInputException(message, inner);

/// <summary>
/// Reads IDX files (the MNIST format: big-endian magic 2051 for images, 2049 for labels, then sizes, then bytes),
/// plain or gzipped. Every malformed input ends in an <see cref="IdxFormatException"/>: sizes are checked
/// against the bytes actually present before anything is allocated for them.
/// </summary>
public static class IdxReader
{
    public const int ImagesMagic = 2051;
    public const int LabelsMagic = 2049;

    /// <summary>Largest count accepted from a header: guards allocation before the body is read.</summary>
    const long MaxElements = 1L << 30;

    public static (byte[] Pixels, int Count, int Rows, int Columns) ReadImages(string path)
    {
        using var stream = Open(path);
        return ReadImages(stream, path);
    }

    public static byte[] ReadLabels(string path)
    {
        using var stream = Open(path);
        return ReadLabels(stream, path);
    }

    public static (byte[] Pixels, int Count, int Rows, int Columns) ReadImages(Stream stream, string name)
    {
        var dims = ReadHeader(stream, name, ImagesMagic, dimensions: 3);
        byte[] pixels = ReadBody(stream, name, dims[0] * dims[1] * dims[2]);
        return (pixels, (int)dims[0], (int)dims[1], (int)dims[2]);
    }

    public static byte[] ReadLabels(Stream stream, string name)
    {
        var dims = ReadHeader(stream, name, LabelsMagic, dimensions: 1);
        return ReadBody(stream, name, dims[0]);
    }

    static Stream Open(string path)
    {
        Stream file = DataFile.OpenRead(path);
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return file;
        int first = file.ReadByte(), second = file.ReadByte();
        file.Position = 0;
        if (first != 0x1f || second != 0x8b)
        {
            file.Dispose();
            throw new IdxFormatException($"{path}: named .gz but is not gzip (no 1f 8b signature)");
        }
        return new GZipStream(file, CompressionMode.Decompress);
    }

    static long[] ReadHeader(Stream stream, string name, int expectedMagic, int dimensions)
    {
        Span<byte> word = stackalloc byte[4];
        int magic = ReadBigEndian(stream, name, word, "magic number");
        if (magic != expectedMagic)
        {
            string kind = expectedMagic == ImagesMagic ? "images" : "labels";
            string hint = (magic >>> 16) == 0x1f8b ? " (the file is gzip data: name it .gz)" : "";
            throw new IdxFormatException($"{name}: magic number {magic}, expected {expectedMagic} for IDX {kind}{hint}");
        }
        var dims = new long[dimensions];
        long total = 1;
        for (int d = 0; d < dimensions; d++)
        {
            dims[d] = (uint)ReadBigEndian(stream, name, word, $"size {d + 1}");
            total *= Math.Max(dims[d], 1);
            if (dims[d] == 0) throw new IdxFormatException($"{name}: size {d + 1} is 0, expected at least 1");
            if (total > MaxElements)
                throw new IdxFormatException($"{name}: header claims {total:N0}+ values, more than the {MaxElements:N0} accepted");
        }
        return dims;
    }

    static int ReadBigEndian(Stream stream, string name, Span<byte> word, string what)
    {
        if (ReadFully(stream, word, name) != 4) throw new IdxFormatException($"{name}: truncated header, ends before the {what}");
        return System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(word);
    }

    /// <summary>
    /// Reads the body in pieces of a megabyte as they arrive, so a lying header costs no more memory than the bytes
    /// present, then copies them into one array: at most twice the body at once (a growing buffer and its final copy took
    /// three times: a gzip bomb behind a valid header reached 3.2 GB). A body whose two copies would not fit in the memory
    /// the process may use is refused before anything is read; the preflight then counts the tensors made from it.
    /// </summary>
    static byte[] ReadBody(Stream stream, string name, long expected)
    {
        long memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes; // physical memory, or the container's limit
        if (memory > 0 && 2 * expected > memory)
            throw new IdxFormatException($"{name}: header claims {expected:N0} bytes of data; reading it takes twice that, more than the " +
                                         $"{memory:N0} bytes of memory this process may use; expected a smaller file");
        if (stream.CanSeek && stream.Length - stream.Position < expected) // a plain file: its length says it all
            throw new IdxFormatException($"{name}: truncated body, {stream.Length - stream.Position:N0} of {expected:N0} bytes");
        const int Piece = 1 << 20;
        var pieces = new List<byte[]>();
        long read = 0;
        while (read < expected)
        {
            var piece = new byte[Math.Min(Piece, expected - read)];
            int got = ReadFully(stream, piece, name);
            pieces.Add(piece);
            read += got;
            if (got < piece.Length) break;
        }
        if (read < expected)
            throw new IdxFormatException($"{name}: truncated body, {read:N0} of {expected:N0} bytes");
        var body = GC.AllocateUninitializedArray<byte>((int)expected);
        for (int i = 0; i < pieces.Count; i++) pieces[i].CopyTo(body, (long)i * Piece);
        return body;
    }

    static int ReadFully(Stream stream, Span<byte> buffer, string name)
    {
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int read = stream.Read(buffer[total..]);
                if (read == 0) break;
                total += read;
            }
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException($"{name}: corrupt gzip data ({e.Message})", e);
        }
        return total;
    }
}
