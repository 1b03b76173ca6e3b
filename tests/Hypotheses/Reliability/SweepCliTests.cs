using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>
/// A sweep as job arrays run it: three shards in three processes, then one report over their folders, against the same
/// sweep unsharded; and a shard killed mid-run, run again, trains only what was missing.
/// </summary>
[TestFixture, Category("Reliability")]
public class SweepCliTests
{
    TempFolder temp = null!;
    string sweepFile = "";

    [SetUp]
    public void WriteSweepFile()
    {
        temp = new TempFolder("sweep-");
        sweepFile = Path.Combine(temp.Path, "sweep.yaml");
        File.WriteAllText(sweepFile, "depth: [2, 3]\nactivation: [tanh, relu]\nseed: [1, 2]\nsamples: 200\nepochs: 1\n");
    }

    [TearDown] public void Delete() => temp.Dispose();

    string Folder(string name) => Path.Combine(temp.Path, name);

    [Test]
    public void Three_shards_and_a_report_give_the_records_and_tables_of_the_unsharded_sweep()
    {
        Sweep(Folder("all"));
        for (int shard = 0; shard < 3; shard++) Sweep(Folder($"shard{shard}"), "--shard", $"{shard}/3");

        var unsharded = Records(Folder("all"));
        unsharded.Should().HaveCount(8);
        var sharded = Enumerable.Range(0, 3).SelectMany(i => Records(Folder($"shard{i}"))).ToList();
        sharded.Select(r => r.Name).Should().BeEquivalentTo(unsharded.Select(r => r.Name), "every spec is trained in exactly one shard");
        foreach (var (name, bytes) in sharded)
            bytes.Should().Equal(unsharded.Single(r => r.Name == name).Bytes, $"{name} is bit-identical whichever process trained it");

        // The shards' output folders as a CI's download step lays them out, records a folder deeper: report searches below them.
        string merged = Report(Folder("merged"), Folder("shard0"), Folder("shard1"), Folder("shard2"));
        string whole = Report(Folder("whole"), Path.Combine(Folder("all"), "results"));
        foreach (string file in new[] { "layers.csv", "epochs.csv" })
            File.ReadAllText(Path.Combine(merged, file)).Should().Be(File.ReadAllText(Path.Combine(whole, file)), file);
        Summary(merged).Should().Be(Summary(whole)).And.Contain("tanh-d3-seed2");
    }

    [Test]
    public void A_killed_shard_run_again_trains_only_what_was_missing()
    {
        // Sixteen runs, each several times the work of the sweep above: the kill, sent when the second record appears, must
        // land before the last one even when the test's thread waits for a core (with 8 runs of 200 digits it once did not).
        File.WriteAllText(sweepFile, "depth: [2, 3]\nactivation: [tanh, relu]\nseed: [1, 2, 3, 4]\nsamples: 2000\nepochs: 2\n");
        string results = Path.Combine(Folder("killed"), "results");
        using (var shard = new CliProcess("sweep", sweepFile, "--out", Folder("killed"), "--parallel", "1"))
        {
            CliRun.WaitFor(() => Directory.Exists(results) && Directory.GetFiles(results, "*.json").Length >= 2, "two records");
            shard.KillHard();
            shard.WaitForExit(TimeSpan.FromMinutes(1));
        }
        int kept = Directory.GetFiles(results, "*.json").Length;
        TestContext.Out.WriteLine($"{kept} of 16 records kept");
        kept.Should().BeInRange(2, 15, "killed after two records and before the sixteenth");

        string output = Sweep(Folder("killed"));
        output.Should().Contain($"{kept} already complete").And.Contain($"sweep: trained {16 - kept}, reused {kept}, failed 0");
        Directory.GetFiles(results, "*.json").Should().HaveCount(16);
        Sweep(Folder("killed")).Should().Contain("16 already complete", "a finished sweep trains nothing more");
    }

    string Sweep(string output, params string[] options)
    {
        var (exitCode, stdout, error) = CliProcess.Run(TimeSpan.FromMinutes(5), ["sweep", sweepFile, "--out", output, "--parallel", "1", .. options]);
        exitCode.Should().Be(0, error);
        return stdout;
    }

    static List<(string Name, byte[] Bytes)> Records(string output) => Directory.GetFiles(Path.Combine(output, "results"), "*.json")
        .Select(path => (Path.GetFileName(path), File.ReadAllBytes(path))).ToList();

    static string Report(string output, params string[] folders)
    {
        var (exitCode, _, error) = CliProcess.Run(["report", .. folders, "--out", output]);
        exitCode.Should().Be(0, error);
        return CliRun.RunFolderOf(output);
    }

    /// <summary>The report's summary section: the table and its reading, without the run id of the title.</summary>
    static string Summary(string run)
    {
        string report = File.ReadAllText(Path.Combine(run, "report.md"));
        int start = report.IndexOf("## Summary", StringComparison.Ordinal);
        return report[start..report.IndexOf("## Figures", start, StringComparison.Ordinal)];
    }
}
