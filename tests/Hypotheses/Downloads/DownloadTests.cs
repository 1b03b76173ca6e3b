using System.Security.Cryptography;
using Experiments;
using Experiments.Data;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Downloads;

/// <summary>
/// Downloads of a data set by name, against a server on the loopback address that serves the embedded sample as the
/// four files, with this test's own checksum table: the good case, and every way a download goes wrong.
/// </summary>
[TestFixture, Category("Reliability")]
public class DownloadTests
{
    const string Name = "fashion-mnist";
    const string TrainImages = "train-images-idx3-ubyte.gz";

    /// <summary>The four files: the sample's images and labels, as both the training and the test files.</summary>
    public static readonly IReadOnlyDictionary<string, byte[]> Served = new Dictionary<string, byte[]>
    {
        [TrainImages] = Resource("sample-images-idx3-ubyte.gz"),
        ["train-labels-idx1-ubyte.gz"] = Resource("sample-labels-idx1-ubyte.gz"),
        ["t10k-images-idx3-ubyte.gz"] = Resource("sample-images-idx3-ubyte.gz"),
        ["t10k-labels-idx1-ubyte.gz"] = Resource("sample-labels-idx1-ubyte.gz"),
    };

    /// <summary>The test's checksum table, computed from the bytes it serves.</summary>
    public static IReadOnlyList<PublishedFile> Table => Served.Select(f => new PublishedFile(f.Key, f.Value.Length,
        Convert.ToHexStringLower(SHA256.HashData(f.Value)))).ToList();

    LoopbackServer server = null!;
    TempFolder cache = null!;
    readonly List<string> warnings = new();

    [SetUp]
    public void Start()
    {
        server = new LoopbackServer();
        cache = new TempFolder("cache-");
        warnings.Clear();
        foreach (var (file, bytes) in Served) server.Serve($"{Name}/{file}", bytes);
    }

    [TearDown]
    public void Stop()
    {
        server.Dispose();
        cache.Dispose();
    }

    static byte[] Resource(string file)
    {
        using var stream = typeof(DataSource).Assembly.GetManifestResourceStream("mnist-sample/" + file)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    Dataset Dataset(params string[] mirrors) => new(Name, "test data", "test credit",
        mirrors.Length > 0 ? mirrors : [server.Url + Name + "/"], Table);

    string Ensure(Dataset dataset) => Download.Ensure(dataset, cache.Path, warn: warnings.Add);

    string Url(string file) => $"{server.Url}{Name}/{file}";

    void NothingHalfWritten() =>
        Directory.GetFiles(cache.Path, "*", SearchOption.AllDirectories).Select(Path.GetFileName)
            .Should().NotContain(TrainImages).And.NotContain(f => f!.EndsWith(".part"), "a failed download leaves no file behind");

    [Test(Description = "A good download writes the four files, each checked, and the next call downloads nothing")]
    public void A_good_download_is_kept_and_not_repeated()
    {
        var progress = new List<DownloadProgress>();
        string folder = Download.Ensure(Dataset(), cache.Path, progress.Add);

        foreach (var (file, bytes) in Served) File.ReadAllBytes(Path.Combine(folder, file)).Should().Equal(bytes, file);
        progress.Where(p => p.Received == p.Total).Should().HaveCount(4, "each file reports its end");
        int requests = server.Requests;
        Ensure(Dataset()).Should().Be(folder);
        server.Requests.Should().Be(requests, "the cached files are used");
        DataSource.FolderOf(folder).Should().Be(folder, "a path is not a data set name");
    }

    [Test(Description = "Bytes that differ from the table: one line naming the URL, the expected length and SHA-256")]
    public void A_corrupt_download_is_refused()
    {
        byte[] corrupt = (byte[])Served[TrainImages].Clone();
        corrupt[^100] ^= 0xff;
        server.Serve($"{Name}/{TrainImages}", corrupt);
        var expected = Table.Single(f => f.Name == TrainImages);

        var error = FluentActions.Invoking(() => Ensure(Dataset())).Should().Throw<BadInputException>().Which.Message;
        error.Should().Contain(Url(TrainImages)).And.Contain(expected.Sha256).And.Contain(Convert.ToHexStringLower(SHA256.HashData(corrupt)))
            .And.NotContain("\n");
        NothingHalfWritten();
    }

    [Test(Description = "A shorter file, complete as HTTP goes: refused for its length")]
    public void A_truncated_download_is_refused()
    {
        server.Serve($"{Name}/{TrainImages}", Served[TrainImages][..1000]);
        FluentActions.Invoking(() => Ensure(Dataset())).Should().Throw<BadInputException>()
            .WithMessage($"*{Url(TrainImages)}*got 1,000 bytes*expected {Served[TrainImages].Length:N0} bytes*");
        NothingHalfWritten();
    }

    [Test(Description = "A server error: named with its status")]
    public void A_server_error_is_reported()
    {
        server.Fail($"{Name}/{TrainImages}", 500);
        FluentActions.Invoking(() => Ensure(Dataset())).Should().Throw<BadInputException>().WithMessage($"*{Url(TrainImages)}*HTTP 500*");
        NothingHalfWritten();
    }

    [Test(Description = "A connection closed in the middle of the body: refused, and nothing kept")]
    public void An_interrupted_download_is_refused()
    {
        server.CutOffAfter($"{Name}/{TrainImages}", Served[TrainImages], Served[TrainImages].Length / 2);
        FluentActions.Invoking(() => Ensure(Dataset())).Should().Throw<BadInputException>()
            .WithMessage($"*{Url(TrainImages)}*expected {Served[TrainImages].Length:N0} bytes*");
        NothingHalfWritten();
    }

    [Test(Description = "A mirror that sends a byte at a time, never stalling, is given up after the whole file's limit")]
    public void A_trickling_download_ends_at_its_limit()
    {
        server.TrickleOut($"{Name}/{TrainImages}", Served[TrainImages], TimeSpan.FromMilliseconds(200));
        FluentActions.Invoking(() => Download.Ensure(Dataset(), cache.Path, fileLimit: TimeSpan.FromSeconds(3))).Should().Throw<BadInputException>()
            .WithMessage($"*{Url(TrainImages)}*not finished in 3 s*{Download.TimeoutVariable}*"); // before: it waited as long as bytes came
        NothingHalfWritten();
    }

    [Test(Description = "A failing mirror is reported as a warning and the next one is used")]
    public void The_next_mirror_is_tried()
    {
        foreach (string file in Served.Keys) server.Fail($"broken/{Name}/{file}", 503);
        string folder = Ensure(Dataset(server.Url + "broken/" + Name + "/", server.Url + Name + "/"));
        warnings.Should().HaveCount(4).And.OnlyContain(w => w.Contains("HTTP 503") && w.Contains("trying the next mirror"));
        foreach (string file in Served.Keys) File.Exists(Path.Combine(folder, file)).Should().BeTrue(file);
    }
}
