using System.Text;
using System.Text.Json;
using Experiments.Plotting;
using Experiments.Records;
using Experiments.Reporting;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>
/// Reports state only what was measured: records are seeds of one configuration only when their specs agree in every
/// field but the seed, and one spec has one id however its values were written.
/// </summary>
[TestFixture, Category("Reliability")]
public class SpecTruthTests
{
    static readonly ExperimentSpec Small = new() { Depth = 2, Width = 16, Samples = 200, Epochs = 1 };

    static RunRecord Record(ExperimentSpec spec) => MadeUpRecords.Of(spec);

    /// <summary>Pairs of configurations that share a file name but not a spec: the fields the name leaves out.</summary>
    static readonly Dictionary<string, ExperimentSpec> OtherThanSmall = new()
    {
        ["samples"] = Small with { Samples = 400 },
        ["epochs"] = Small with { Epochs = 2 },
        ["threads"] = Small with { Threads = 2 },
        ["initBatches"] = Small with { InitBatches = 2 },
        ["data"] = Small with { Data = "/some/idx/folder", TestFraction = null },
        ["testFraction"] = Small with { TestFraction = 0.3 },
    };

    static IEnumerable<string> Fields() => OtherThanSmall.Keys;

    [Test(Description = "Every job-wide field of the table is tried below")]
    public void Every_job_wide_field_is_tried() =>
        OtherThanSmall.Keys.Should().BeEquivalentTo(SpecFields.All.Where(f => f.JobWide).Select(f => f.JsonName));

    [TestCaseSource(nameof(Fields))]
    public void Records_that_differ_in_more_than_the_seed_are_not_seeds_of_one_configuration(string field)
    {
        var other = OtherThanSmall[field];
        other.FileName().Should().Be(Small.FileName(), "the case is two configurations the file name does not tell apart");
        var records = new[] { Record(Small), Record(Small with { Seed = 2 }), Record(other), Record(other with { Seed = 2 }) };

        var groups = SeedFigures.Configurations(records).ToList();

        groups.Should().HaveCount(2, $"the records differ in {field}");
        groups.Should().OnlyContain(g => g.Count() == 2, "each configuration has its two seeds");
        groups.Select(g => g.Key).Should().OnlyHaveUniqueItems().And.OnlyContain(k => k.Contains(field + "="), "the name says what differs");
    }

    [TestCaseSource(nameof(Fields))]
    public void The_report_names_rows_that_differ_only_in_a_field_the_file_name_leaves_out(string field)
    {
        var records = new[] { Record(Small), Record(OtherThanSmall[field]) };

        string report = ReportWriter.Write("r", records, [], verdicts: null);

        var rows = report.Split('\n').Where(l => l.StartsWith("| relu-d2", StringComparison.Ordinal)).Select(l => l.Split('|')[1].Trim()).ToList();
        rows.Should().HaveCount(2).And.OnlyHaveUniqueItems($"the rows differ in {field}");
        rows.Should().OnlyContain(r => r.Contains(field + "="));
    }

    [Test(Description = "A report over records of two data sets names both, not the first one's alone")]
    public void The_report_names_every_data_set_of_its_records()
    {
        var other = OtherThanSmall["data"];
        var records = new[] { Record(Small), Record(other) with { Data = new DataDescription("the IDX files in /some/idx/folder", null, "official split") } };

        string report = ReportWriter.Write("r", records, [], verdicts: null);

        report.Should().Contain("test data").And.Contain("the IDX files in /some/idx/folder").And.Contain("official split");
    }

    [Test(Description = "Seeds of one configuration still make one group, named as before")]
    public void Seeds_of_one_configuration_make_one_group()
    {
        var groups = SeedFigures.Configurations([Record(Small), Record(Small with { Seed = 2 }), Record(Small with { Seed = 3 })]).ToList();
        groups.Should().ContainSingle().Which.Key.Should().Be(Small.FileName());
    }

    [TestCase("biasSigma2")]
    [TestCase("momentum")]
    public void Minus_zero_is_zero_so_the_id_does_not_split(string field)
    {
        var zero = field == "momentum" ? Small with { Optimizer = OptimizerKind.Sgd, Momentum = 0 } : Small with { BiasSigma2 = 0 };
        var minusZero = field == "momentum" ? zero with { Momentum = -0.0 } : zero with { BiasSigma2 = -0.0 };

        minusZero.Id.Should().Be(zero.Id);
        string json = System.Text.Json.JsonSerializer.Serialize(zero, RecordJson.Compact);
        json.Should().Contain($"\"{field}\":0");
        var read = System.Text.Json.JsonSerializer.Deserialize<ExperimentSpec>(json.Replace($"\"{field}\":0", $"\"{field}\":-0.0"), RecordJson.Compact)!;
        read.Id.Should().Be(zero.Id, "a spec read from JSON written with -0.0 is the same spec");
    }

    [Test(Description = "A record of a spec written with -0 (as an older version saved it) and one of the same spec count once")]
    public void A_record_written_with_minus_zero_counts_once()
    {
        using var folder = new TempFolder("minus-zero-");
        var record = Record(Small);
        string json = RecordJson.Serialize(record);
        json.Should().Contain("\"biasSigma2\": 0,");
        File.WriteAllText(Path.Combine(folder.Path, "a.json"), json);
        File.WriteAllText(Path.Combine(folder.Path, "b.json"), json.Replace("\"biasSigma2\": 0,", "\"biasSigma2\": -0.0,")
            .Replace(record.SpecId, "0123456789ab")); // the id the old code gave it

        ResultStore.LoadAll([folder.Path]).Should().ContainSingle("it is one spec, one seed");
    }

    static readonly ExperimentSpec ShortRun = new() { Samples = 2000, Epochs = 3, Seed = 1, Precision = Precision.Float64 };

    [Test(Description = "Ids stay as they are (the ids the approved snapshot tables carry, and the files of every results folder)")]
    public void Ids_of_ordinary_specs_do_not_change()
    {
        (ShortRun with { Activation = Experiments.Models.Activation.Relu, Depth = 20 }).Id.Should().Be("b1ac1c9d63ce");
        (ShortRun with { Activation = Experiments.Models.Activation.Relu, Depth = 5 }).Id.Should().Be("04848b137f77");
    }

    [Test(Description = "A field added to the spec at a default changes no id: the id hashes only the fields that differ from their defaults")]
    public void A_new_field_at_its_default_changes_no_id()
    {
        foreach (var spec in ClassicExperiment.Specs(ShortRun).Concat(ClassicExperiment.Specs(ClassicExperiment.Template)))
        {
            // As the JSON of the spec and of the defaults would be with one more property, at its default in both.
            string json = JsonSerializer.Serialize(spec, RecordJson.Compact);
            var defaults = new Dictionary<string, string>(ExperimentSpec.DefaultValues) { ["fieldAddedLater"] = "0" };
            byte[] With(string value) => Encoding.UTF8.GetBytes(json[..^1] + $",\"fieldAddedLater\":{value}}}");
            ExperimentSpec.IdOf(With("0"), defaults).Should().Be(spec.Id, $"{spec.Label} keeps its id");
            ExperimentSpec.IdOf(With("0.5"), defaults).Should().NotBe(spec.Id, "a value other than the default is a different spec");
        }
    }

    [Test(Description = "A results folder written when ids hashed every field is still found: a resumed sweep does not train it again")]
    public void A_record_saved_under_the_former_id_counts()
    {
        using var folder = new TempFolder("former-id");
        var record = Record(Small);
        File.WriteAllText(Path.Combine(folder.Path, Small.FormerId + ".json"), RecordJson.Serialize(record));

        new ResultStore(folder.Path).Complete(Small).Should().NotBeNull();
        Small.FormerId.Should().NotBe(Small.Id);
        // The id the former program gave this spec, as its approved snapshot table carried it.
        (ShortRun with { Activation = Experiments.Models.Activation.Relu, Depth = 20 }).FormerId.Should().Be("52f344cce82e");
    }
}
