using Experiments.Data;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Downloads;

/// <summary>
/// The set-up of the tests that run the program against a data set by name: the embedded sample served as
/// <see cref="Name"/> by a loopback server, a temporary folder, and the variables that point the program at both, with
/// this test's checksum table.
/// </summary>
public abstract class ServedDataSet
{
    protected const string Name = "fashion-mnist";
    protected LoopbackServer Server { get; private set; } = null!;
    protected TempFolder Temp { get; private set; } = null!;

    [SetUp]
    public void Start()
    {
        Server = new LoopbackServer();
        Temp = new TempFolder("served-data-");
        foreach (var (file, bytes) in DownloadTests.Served) Server.Serve($"{Name}/{file}", bytes);
    }

    [TearDown]
    public void Stop()
    {
        Server.Dispose();
        Temp.Dispose();
    }

    /// <summary>The cache at <paramref name="cache"/>, the server as the only mirror, and this test's checksums (written here).</summary>
    protected Dictionary<string, string> ServedEnvironment(string cache)
    {
        string checksums = Path.Combine(Temp.Path, "checksums.txt");
        File.WriteAllLines(checksums, DownloadTests.Table.Select(f => $"{Name} {f.Name} {f.Bytes} {f.Sha256}"));
        return new() { [Datasets.CacheVariable] = cache, [Datasets.MirrorsVariable] = Server.Url, [Datasets.ChecksumsVariable] = checksums };
    }
}
