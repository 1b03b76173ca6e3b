using System.Text.RegularExpressions;
using Experiments.Records;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>
/// `report --expect &lt;sweep file&gt;`: the report says how many of the sweep's specs are complete and names the missing and
/// incomplete ones, on the console and in report.md, and the command exits non-zero until the set is complete.
/// </summary>
[TestFixture, Category("Reliability")]
public class ExpectTests
{
    TempFolder temp = null!;
    string sweepFile = "", output = "", results = "";

    [SetUp]
    public void WriteSweepFile()
    {
        temp = new TempFolder("expect-");
        sweepFile = Path.Combine(temp.Path, "sweep.yaml");
        File.WriteAllText(sweepFile, "depth: [2, 3]\nactivation: relu\nseed: [1, 2]\nwidth: 16\nsamples: 200\nepochs: 1\n");
        output = Path.Combine(temp.Path, "out");
        results = Path.Combine(output, "results");
    }

    [TearDown] public void Delete() => temp.Dispose();

    [Test]
    public void A_partial_set_names_what_is_missing_and_incomplete_and_exits_non_zero_until_complete()
    {
        Sweep("--shard", "0/2");
        var all = SpecIds();
        all.Should().HaveCount(4);
        var trained = Directory.GetFiles(results, "*.json").Select(path => Path.GetFileNameWithoutExtension(path)!).ToList();
        trained.Should().HaveCountGreaterThan(0).And.HaveCountLessThan(4);
        var missing = all.Except(trained).ToList();

        // One of the trained records as an interrupted run leaves it: marked incomplete.
        string stopped = Path.Combine(results, trained[0] + ".json");
        File.WriteAllText(stopped, RecordJson.Serialize(RecordJson.Deserialize(File.ReadAllText(stopped), stopped) with { Complete = false }));

        var (exitCode, stdout, error) = Report();
        exitCode.Should().Be(3, "specs are missing: the report is written, the set is not complete");
        string statement = $"{trained.Count - 1} of 4 specs complete ({sweepFile})";
        string report = File.ReadAllText(Path.Combine(CliRun.RunFolderOf(output), "report.md"));
        foreach (string text in new[] { stdout, report })
        {
            text.Should().Contain(statement);
            foreach (string id in missing) text.Should().MatchRegex($@"missing: \S+ \(spec {id}\)");
            text.Should().MatchRegex($@"incomplete \(interrupted\): \S+ \(spec {trained[0]}\)");
            text.Should().NotContain($"spec {trained[^1]})", "a complete spec is not listed");
        }
        error.Should().Contain($"error: {missing.Count} missing and 1 incomplete of the 4 specs of {sweepFile}");

        Sweep(); // trains the missing specs and the interrupted one again
        (exitCode, stdout, error) = Report();
        exitCode.Should().Be(0, error);
        stdout.Should().Contain($"4 of 4 specs complete ({sweepFile})").And.NotContain("missing:").And.NotContain("incomplete");
        File.ReadAllText(Path.Combine(CliRun.RunFolderOf(output), "report.md")).Should().Contain($"**4 of 4 specs complete ({sweepFile})**");

        // Records of specs the sweep does not have are reported too, and said to be there.
        File.WriteAllText(sweepFile, "depth: [2, 3]\nactivation: relu\nseed: 1\nwidth: 16\nsamples: 200\nepochs: 1\n");
        (exitCode, stdout, error) = Report();
        exitCode.Should().Be(0, error);
        stdout.Should().Contain($"2 of 2 specs complete ({sweepFile})").And.Contain($"2 record(s) of specs that {sweepFile} does not have are in the report too");
    }

    [Test]
    public void A_bad_sweep_file_is_named_before_anything_is_written()
    {
        Sweep("--shard", "0/2");
        File.WriteAllText(sweepFile, "depth: [2, 3\n");
        var (exitCode, _, error) = Report();
        exitCode.Should().Be(2, error);
        error.Should().StartWith($"error: {sweepFile}");
        Directory.Exists(Path.Combine(output, "runs")).Should().BeFalse("no report is written for a sweep file that cannot be read");
    }

    (int ExitCode, string Out, string Error) Report() =>
        CliProcess.Run(TimeSpan.FromMinutes(2), "report", "--expect", sweepFile, results, "--out", output);

    void Sweep(params string[] options)
    {
        var (exitCode, _, error) = CliProcess.Run(TimeSpan.FromMinutes(5), ["sweep", sweepFile, "--out", output, "--parallel", "2", .. options]);
        exitCode.Should().Be(0, error);
    }

    List<string> SpecIds()
    {
        var (exitCode, stdout, error) = CliProcess.Run("sweep", sweepFile, "--out", output, "--dry-run");
        exitCode.Should().Be(0, error);
        return Regex.Matches(stdout, @"spec ([0-9a-f]+)").Select(m => m.Groups[1].Value).ToList();
    }
}
