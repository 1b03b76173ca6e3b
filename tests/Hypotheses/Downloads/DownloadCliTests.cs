using Experiments.Data;
using FluentAssertions;
using Hypotheses.Reliability;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Downloads;

/// <summary>`--data fashion-mnist` as a user runs it, against the loopback server, with the test's checksum table.</summary>
[TestFixture, Category("Reliability")]
public class DownloadCliTests : ServedDataSet
{
    string Cache => Path.Combine(Temp.Path, "cache");
    string Output => Path.Combine(Temp.Path, "out");

    (int ExitCode, string Out, string Error) Run()
    {
        using var cli = new CliProcess(ServedEnvironment(Cache), "--data", Name, "--samples", "1000", "--epochs", "1", "--depth", "5",
            "--activation", "relu", "--out", Output);
        return cli.WaitForExit(TimeSpan.FromMinutes(2));
    }

    [Test(Description = "--data fashion-mnist downloads the four files once, with progress, and trains on them")]
    public void A_data_set_by_name_is_downloaded_once_and_used()
    {
        var (exitCode, _, error) = Run();

        exitCode.Should().Be(0, error);
        error.Should().Contain($"downloading {Server.Url}{Name}/train-images-idx3-ubyte.gz");
        Directory.GetFiles(Path.Combine(Cache, Name)).Select(Path.GetFileName).Should().BeEquivalentTo(DownloadTests.Served.Keys);
        File.Exists(Path.Combine(CliRun.RunFolderOf(Output), "relu-d5.json")).Should().BeTrue();
        int requests = Server.Requests;

        Run().ExitCode.Should().Be(0);
        Server.Requests.Should().Be(requests, "the second job uses the cache");
    }

    [Test(Description = "A failed download: one line naming the URL and what was expected, exit 2, nothing written")]
    public void A_failed_download_is_one_line_and_exit_2()
    {
        var labels = DownloadTests.Table.Single(f => f.Name == "t10k-labels-idx1-ubyte.gz");
        Server.Fail($"{Name}/{labels.Name}", 500);
        var (exitCode, _, error) = Run();

        exitCode.Should().Be(2);
        error.Should().NotContain("   at ", "no stack trace");
        error.Split('\n').Where(l => l.StartsWith("error:")).Should().ContainSingle()
            .Which.Should().StartWith($"error: {Name}: download of {Server.Url}{Name}/{labels.Name} failed (HTTP 500")
            .And.EndWith($"expected {labels.Bytes:N0} bytes with SHA-256 {labels.Sha256}");
        Directory.Exists(Output).Should().BeFalse("nothing is written before the data is checked");
        Directory.GetFiles(Path.Combine(Cache, Name)).Should().NotContain(f => f.EndsWith(labels.Name) || f.EndsWith(".part"));
    }
}
