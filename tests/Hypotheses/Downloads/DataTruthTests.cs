using System.Text.Json;
using Experiments.Data;
using FluentAssertions;
using Hypotheses.Reliability;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Downloads;

/// <summary>
/// A record says what was verified and what was applied: a data set is named only when its files are the published
/// ones, and a kernel setting libtorch or MKL did not take is recorded as not taken.
/// </summary>
[TestFixture, Category("Reliability")]
public class DataTruthTests : ServedDataSet
{
    /// <summary>Trains one small run and returns its record.</summary>
    JsonElement Train(Dictionary<string, string> environment, params string[] data)
    {
        string output = Path.Combine(Temp.Path, "out-" + Guid.NewGuid().ToString("N")[..8]);
        using var cli = new CliProcess(environment, [.. data, "--samples", "200", "--epochs", "1", "--depth", "2", "--width", "16",
            "--activation", "relu", "--out", output]);
        var (code, _, error) = cli.WaitForExit(TimeSpan.FromMinutes(2));
        code.Should().Be(0, error);
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(CliRun.RunFolderOf(output), "relu-d2-w16.json"))).RootElement.Clone();
    }

    [Test(Description = "Files served under --data fashion-mnist that match only the test's checksum table are not called Fashion-MNIST")]
    public void A_cache_filled_under_other_checksums_is_not_named_as_the_published_data_set()
    {
        var environment = ServedEnvironment(Path.Combine(Temp.Path, "cache"));

        var data = Train(environment, "--data", Name).GetProperty("data");
        data.GetProperty("name").GetString().Should().NotStartWith("Fashion-MNIST")
            .And.Contain(Datasets.ChecksumsVariable, "what the files were checked against is said");
        data.GetProperty("credit").ValueKind.Should().Be(JsonValueKind.Null, "no data set is credited for files not identified as it");

        // The same cache later, without the table: the files are not the published ones, so not named either.
        environment.Remove(Datasets.ChecksumsVariable);
        Train(environment, "--data", Name).GetProperty("data").GetProperty("name").GetString()
            .Should().NotStartWith("Fashion-MNIST").And.Contain("not identified");
    }

    [TestCase("bogus", "bogus", "bogus (invalid, ignored by libtorch", "bogus (not applied: MKL uses")]
    [TestCase("AVX2", "compatible", "AVX2 (invalid, ignored by libtorch", "compatible (not applied: MKL uses")]
    [TestCase("default", "COMPATIBLE", "default", "COMPATIBLE")]
    public void The_recorded_kernel_settings_are_those_applied(string aten, string mkl, string recordedAten, string recordedMkl)
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("libtorch's settings are read back from its Linux build only");
        var environment = Train(new Dictionary<string, string> { ["ATEN_CPU_CAPABILITY"] = aten, ["MKL_CBWR"] = mkl }).GetProperty("environment");

        environment.GetProperty("atenCpuCapability").GetString().Should().StartWith(recordedAten);
        environment.GetProperty("mklCbwr").GetString().Should().StartWith(recordedMkl);
        if (recordedAten == aten) environment.GetProperty("atenCpuCapability").GetString().Should().Be(aten, "a setting libtorch took is recorded as given");
        if (recordedMkl == mkl) environment.GetProperty("mklCbwr").GetString().Should().Be(mkl);
    }
}
