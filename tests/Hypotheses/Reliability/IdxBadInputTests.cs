using Experiments.Data;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>Every malformed IDX input gives an <see cref="IdxFormatException"/> that names the file and what was expected.</summary>
[TestFixture, Category("Reliability")]
public class IdxBadInputTests
{
    TempFolder temp = null!;
    string folder = "";

    [SetUp] public void CreateFolder() => folder = (temp = new TempFolder("idx-bad-")).Path;
    [TearDown] public void DeleteFolder() => temp.Dispose();

    string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    static byte[] ValidImages(int count = 3) =>
        IdxFiles.Header(2051, count, 28, 28).Concat(Enumerable.Range(0, count * 784).Select(i => (byte)i)).ToArray();

    [Test]
    public void Wrong_magic_number() =>
        Invoking(() => IdxReader.ReadImages(Write("a-idx3-ubyte", IdxFiles.Header(2049, 3))))
            .Should().Throw<IdxFormatException>().WithMessage("*a-idx3-ubyte: magic number 2049, expected 2051 for IDX images");

    [Test]
    public void Gzip_data_without_the_gz_name_gets_a_hint()
    {
        string gz = Path.Combine(folder, "x.gz");
        IdxFiles.Write(folder, "t", DataSource.LoadSample().Select([0, 1]), gzipped: true);
        File.Move(Path.Combine(folder, "t-images-idx3-ubyte.gz"), gz);
        Invoking(() => IdxReader.ReadImages(Write("plain-idx3-ubyte", File.ReadAllBytes(gz))))
            .Should().Throw<IdxFormatException>().WithMessage("*plain-idx3-ubyte: magic number *the file is gzip data: name it .gz*");
    }

    [Test]
    public void Truncated_header() =>
        Invoking(() => IdxReader.ReadImages(Write("short-idx3-ubyte", IdxFiles.Header(2051, 3, 28).Take(10).ToArray())))
            .Should().Throw<IdxFormatException>().WithMessage("*short-idx3-ubyte: truncated header, ends before the size 2");

    [Test]
    public void Truncated_body() =>
        Invoking(() => IdxReader.ReadImages(Write("cut-idx3-ubyte", ValidImages()[..^100])))
            .Should().Throw<IdxFormatException>().WithMessage("*cut-idx3-ubyte: truncated body, 2,252 of 2,352 bytes");

    [Test]
    public void Gz_name_on_a_file_that_is_not_gzip() =>
        Invoking(() => IdxReader.ReadImages(Write("fake-idx3-ubyte.gz", ValidImages())))
            .Should().Throw<IdxFormatException>().WithMessage("*fake-idx3-ubyte.gz: named .gz but is not gzip (no 1f 8b signature)");

    [Test]
    public void Zero_images() =>
        Invoking(() => IdxReader.ReadImages(Write("empty-idx3-ubyte", IdxFiles.Header(2051, 0, 28, 28))))
            .Should().Throw<IdxFormatException>().WithMessage("*empty-idx3-ubyte: size 1 is 0, expected at least 1");

    [Test]
    public void Image_and_label_counts_that_differ()
    {
        string images = Write("train-images-idx3-ubyte", ValidImages(3));
        string labels = Write("train-labels-idx1-ubyte", IdxFiles.Header(2049, 2).Concat(new byte[] { 1, 2 }).ToArray());
        Invoking(() => Digits.FromIdx(images, labels, "test"))
            .Should().Throw<IdxFormatException>().WithMessage("*train-images-idx3-ubyte has 3 images but *train-labels-idx1-ubyte has 2 labels");
    }

    [Test(Description = "A header that claims 2^31 images is refused before anything is allocated for them")]
    public void A_header_claiming_two_billion_images_allocates_nothing_for_them()
    {
        string path = Write("huge-idx3-ubyte", IdxFiles.Header(2051, int.MinValue, 28, 28).Concat(new byte[1000]).ToArray()); // 2^31 as uint
        long before = GC.GetAllocatedBytesForCurrentThread();
        Invoking(() => IdxReader.ReadImages(path))
            .Should().Throw<IdxFormatException>().WithMessage("*huge-idx3-ubyte: header claims *, more than the 1,073,741,824 accepted");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20, "the reader must not allocate for the claimed size");
    }

    [Test(Description = "A header that claims more images than the file holds costs no more memory than the file")]
    public void A_lying_header_costs_no_more_than_the_file()
    {
        string path = Write("liar-idx3-ubyte", IdxFiles.Header(2051, 1_000_000, 28, 28).Concat(new byte[5000]).ToArray());
        long before = GC.GetAllocatedBytesForCurrentThread();
        Invoking(() => IdxReader.ReadImages(path)).Should().Throw<IdxFormatException>().WithMessage("*truncated body, 5,000 of 784,000,000 bytes");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    [Test(Description = "A gzip bomb behind a true header (64 MB of zeros in 65 KB) costs at most twice its body while read, " +
                        "not a growing buffer and its copy (three times the body)")]
    public void A_gzip_bomb_costs_its_body_once()
    {
        const int count = 81_633; // × 28 × 28 ≈ 64 MB
        var packed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(IdxFiles.Header(2051, count, 28, 28));
            gzip.Write(new byte[count * 784]);
        }
        packed.Position = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        using var inflating = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionMode.Decompress);
        IdxReader.ReadImages(inflating, "bomb").Count.Should().Be(count);
        // The pieces and the body, and the inflater's own buffers (under a megabyte).
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(2 * count * 784L + (1 << 20));
    }

    [Test(Description = "A header that claims more data than the process may hold is refused before anything is read")]
    public void A_header_past_the_machine_s_memory_is_refused()
    {
        File.WriteAllBytes(Path.Combine(folder, "train-images-idx3-ubyte"), IdxFiles.Header(2051, 1_000_000, 28, 28)); // 784 MB claimed, 1.6 GB to read
        File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte"), IdxFiles.Header(2049, 1_000_000)); // read after the images
        var environment = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x10000000" }; // a 256 MB container, as .NET sees it
        using var cli = new CliProcess(environment, "--data", folder, "--dry-run");
        var (exitCode, stdout, error) = cli.WaitForExit(TimeSpan.FromMinutes(1));
        CliReliabilityTests.ShouldBeOneErrorLine(exitCode, stdout, error,
            "train-images-idx3-ubyte: header claims 784,000,000 bytes of data; reading it takes twice that, more than the 268,435,456 bytes of memory this process may use");
    }

    [Test]
    public void Missing_data_folder() =>
        Invoking(() => DataSource.Load(Path.Combine(folder, "nowhere"), null, 0.2, 1))
            .Should().Throw<DirectoryNotFoundException>().WithMessage("*nowhere: folder not found*");

    [Test]
    public void Folder_without_the_standard_files() =>
        Invoking(() => DataSource.Load(folder, null, 0.2, 1))
            .Should().Throw<FileNotFoundException>().WithMessage("*: train-images-idx3-ubyte (or train-images-idx3-ubyte.gz) not found");

    static Action Invoking(Action action) => action;
}
