using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>
/// `report` reads folders that other programs, half-finished copies and people also write into: every file it cannot read
/// as a run record is skipped with one warning line naming it and why, and the report is made from the rest.
/// </summary>
[TestFixture, Category("Reliability")]
public class ReportInputTests
{
    TempFolder temp = null!;
    string record = "";

    /// <summary>One real record, trained once for the fixture.</summary>
    [OneTimeSetUp]
    public void TrainOne()
    {
        temp = new TempFolder("report-input-");
        string sweep = Path.Combine(temp.Path, "sweep.yaml");
        File.WriteAllText(sweep, "depth: 2\nwidth: 16\nactivation: relu\nsamples: 200\nepochs: 1\n");
        var (code, _, error) = CliProcess.Run("sweep", sweep, "--out", Path.Combine(temp.Path, "trained"), "--parallel", "1");
        code.Should().Be(0, error);
        record = Directory.GetFiles(Path.Combine(temp.Path, "trained", "results"), "*.json").Single();
    }

    [OneTimeTearDown] public void Delete() => temp.Dispose();

    /// <summary>What a bad file holds, by name; each is written beside the good record as <c>bad.json</c> (or as said).</summary>
    static readonly Dictionary<string, Action<string, string>> Variants = new()
    {
        ["empty"] = (folder, _) => File.WriteAllText(Bad(folder), ""),
        ["whitespace"] = (folder, _) => File.WriteAllText(Bad(folder), " \n\t\n"),
        ["truncated record"] = (folder, good) => File.WriteAllText(Bad(folder), File.ReadAllText(good)[..200]),
        ["another program's object"] = (folder, _) => File.WriteAllText(Bad(folder), "{\"name\": \"package\", \"version\": \"1.0.0\"}"),
        ["an array"] = (folder, _) => File.WriteAllText(Bad(folder), "[1, 2, 3]"),
        ["a number"] = (folder, _) => File.WriteAllText(Bad(folder), "42"),
        ["null"] = (folder, _) => File.WriteAllText(Bad(folder), "null"),
        ["an empty object"] = (folder, _) => File.WriteAllText(Bad(folder), "{}"),
        ["an older schema"] = (folder, good) => File.WriteAllText(Bad(folder), File.ReadAllText(good).Replace("\"schemaVersion\": 2", "\"schemaVersion\": 1")),
        ["the schema alone"] = (folder, _) => File.WriteAllText(Bad(folder), "{\"schemaVersion\": 2}"),
        ["a record without epochs"] = (folder, good) => File.WriteAllText(Bad(folder), WithoutEpochs(File.ReadAllText(good))),
        ["a record with a wrong type"] = (folder, good) => File.WriteAllText(Bad(folder), File.ReadAllText(good).Replace("\"depth\": 2", "\"depth\": \"two\"")),
        ["binary"] = (folder, _) => File.WriteAllBytes(Bad(folder), [0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00, 0x01]),
        ["deeply nested"] = (folder, _) => File.WriteAllText(Bad(folder), new string('[', 5000) + new string(']', 5000)),
        ["a dangling link"] = (folder, _) => File.CreateSymbolicLink(Bad(folder), Path.Combine(folder, "missing-target")),
    };

    /// <summary>Not a file: searched like any folder (this case held before), and nothing in it is a record.</summary>
    const string DirectoryVariant = "a directory named <id>.json";

    static string Bad(string folder) => Path.Combine(folder, "bad.json");

    static string WithoutEpochs(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove("epochs");
        return node.ToJsonString();
    }

    static IEnumerable<string> Names() => Variants.Keys.Append(DirectoryVariant);

    [TestCaseSource(nameof(Names))]
    public void A_file_that_is_not_a_record_is_skipped_with_one_warning(string variant)
    {
        string folder = Directory.CreateDirectory(Path.Combine(temp.Path, "in-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        File.Copy(record, Path.Combine(folder, Path.GetFileName(record)));
        if (variant == DirectoryVariant) Directory.CreateDirectory(Path.Combine(folder, "0123456789ab.json", "inner.json"));
        else Variants[variant](folder, record);

        var (code, output, error) = CliProcess.Run("report", folder, "--out", Path.Combine(folder, "..", "out-" + Path.GetFileName(folder)));

        code.Should().Be(0, $"the good record makes a report ({variant}); stderr: {error}");
        output.Should().Contain("report over 1 records");
        var warnings = (output + error).Split('\n').Where(l => l.Contains("warning:") && l.Contains("skipped")).ToList();
        if (variant == DirectoryVariant)
        {
            warnings.Should().BeEmpty("a folder is searched, not read");
            return;
        }
        warnings.Should().ContainSingle($"one warning for the {variant} file").Which.Should().Contain(Bad(folder));
    }

    [Test(Description = "Nothing readable at all: every file is named, and the command fails as bad input")]
    public void Only_unreadable_files_fail_with_each_named()
    {
        string folder = Directory.CreateDirectory(Path.Combine(temp.Path, "only-bad")).FullName;
        File.WriteAllText(Path.Combine(folder, "a.json"), "");
        File.WriteAllText(Path.Combine(folder, "b.json"), "[]");

        var (code, output, error) = CliProcess.Run("report", folder, "--out", Path.Combine(temp.Path, "out-only-bad"));

        code.Should().Be(2, error);
        (output + error).Should().Contain(Path.Combine(folder, "a.json")).And.Contain(Path.Combine(folder, "b.json")).And.Contain("no run records");
        Directory.Exists(Path.Combine(temp.Path, "out-only-bad", "runs")).Should().BeFalse("nothing is written");
    }
}
