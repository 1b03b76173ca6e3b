using System.IO.Compression;
using Experiments.Data;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>
/// Random mutations and truncations of valid IDX files, plain and gzipped: the reader returns or throws its one
/// documented exception, <see cref="IdxFormatException"/>; never anything else, a hang or a large allocation.
/// </summary>
[TestFixture, Category("Reliability")]
public class IdxFuzzTests
{
    const int Cases = 1500;

    [TestCase(false), TestCase(true)]
    public void Mutated_files_give_only_the_documented_exception(bool gzipped)
    {
        var valid = Encode(IdxFiles.Header(2051, 20, 28, 28).Concat(DataSource.LoadSample().Pixels.Take(20 * 784)).ToArray(), gzipped);
        var random = new Random(gzipped ? 7 : 3);
        var unexpected = new List<string>();
        int accepted = 0, refused = 0;
        string path = Path.Combine(Path.GetTempPath(), $"fuzz-{Guid.NewGuid():N}-idx3-ubyte{(gzipped ? ".gz" : "")}");
        try
        {
            for (int i = 0; i < Cases; i++)
            {
                File.WriteAllBytes(path, Mutate(valid, random));
                long before = GC.GetAllocatedBytesForCurrentThread();
                try { IdxReader.ReadImages(path); accepted++; }
                catch (IdxFormatException) { refused++; }
                catch (Exception e) { unexpected.Add($"case {i}: {e.GetType().Name}: {e.Message}"); }
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                if (allocated > 8 << 20) unexpected.Add($"case {i}: allocated {allocated:N0} bytes");
            }
        }
        finally { File.Delete(path); }

        TestContext.Out.WriteLine($"{Cases} mutated files: {accepted} read, {refused} refused with IdxFormatException");
        unexpected.Should().BeEmpty();
        refused.Should().BeGreaterThan(Cases / 4, "most mutations must actually break the file");
    }

    static byte[] Encode(byte[] idx, bool gzipped)
    {
        if (!gzipped) return idx;
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest)) gzip.Write(idx);
        return buffer.ToArray();
    }

    /// <summary>One of: truncate anywhere, flip random bytes, overwrite a header word with an extreme value.</summary>
    static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = (byte[])valid.Clone();
        switch (random.Next(3))
        {
            case 0:
                return bytes[..random.Next(bytes.Length)];
            case 1:
                for (int flips = random.Next(1, 8); flips > 0; flips--) bytes[random.Next(Math.Min(bytes.Length, 64))] ^= (byte)random.Next(1, 256);
                return bytes;
            default:
                int word = random.Next(Math.Min(4, bytes.Length / 4));
                uint value = new[] { 0u, 1u, 0x7fffffffu, 0x80000000u, 0xffffffffu, (uint)random.Next() }[random.Next(6)];
                BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value)).CopyTo(bytes, word * 4);
                return bytes;
        }
    }
}
