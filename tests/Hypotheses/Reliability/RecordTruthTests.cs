using System.Text.Json;
using Experiments.Models;
using Table = Experiments.Records.SpecFields;
using Experiments.Records;
using Experiments.Reporting;
using Experiments.Training;
using FluentAssertions;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>Names, labels and CSVs tell runs apart and carry every value a run used.</summary>
[TestFixture, Category("Reliability")]
public class RecordTruthTests
{
    static readonly ExperimentSpec Default = new();

    /// <summary>Pairs of specs that differ in exactly one configuration field, by the field's JSON name.</summary>
    static readonly Dictionary<string, (ExperimentSpec A, ExperimentSpec B)> OneFieldApart = new()
    {
        ["depth"] = (Default, Default with { Depth = 6 }),
        ["width"] = (Default, Default with { Width = 64 }),
        ["activation"] = (Default, Default with { Activation = Activation.Tanh }),
        ["init"] = (Default, Default with { Init = Initialization.HeNormal }),
        ["sigmaW2"] = (Default with { Init = Initialization.Normal, SigmaW2 = 2 }, Default with { Init = Initialization.Normal, SigmaW2 = 2.0001 }),
        ["biasSigma2"] = (Default, Default with { BiasSigma2 = 0.05 }),
        ["normalization"] = (Default, Default with { Normalization = Normalization.Layer }),
        ["residual"] = (Default, Default with { Residual = true }),
        ["optimizer"] = (Default, Default with { Optimizer = OptimizerKind.Sgd }),
        ["learningRate"] = (Default, Default with { LearningRate = 0.0010001 }),
        ["momentum"] = (Default with { Optimizer = OptimizerKind.Sgd }, Default with { Optimizer = OptimizerKind.Sgd, Momentum = 0.5 }),
        ["batchSize"] = (Default, Default with { BatchSize = 128 }),
        ["clipNorm"] = (Default, Default with { ClipNorm = 1 }),
        ["seed"] = (Default, Default with { Seed = 2 }),
        ["precision"] = (Default, Default with { Precision = Precision.Float64 }),
        ["model"] = (Default, ExperimentSpec.Recurrent(ModelKind.Rnn) with { Activation = Default.Activation, Depth = 1 }),
        ["sequence"] = (ExperimentSpec.Recurrent(ModelKind.Rnn), ExperimentSpec.Recurrent(ModelKind.Rnn) with { Sequence = Sequence.Pixels }),
        ["recurrentInit"] = (ExperimentSpec.Recurrent(ModelKind.Rnn), ExperimentSpec.Recurrent(ModelKind.Rnn) with { RecurrentInit = RecurrentInitialization.Identity }),
        ["forgetBias"] = (ExperimentSpec.Recurrent(ModelKind.Lstm), ExperimentSpec.Recurrent(ModelKind.Lstm) with { ForgetBias = 0 }),
    };

    /// <summary>The spec's fields as its JSON names them.</summary>
    static IEnumerable<string> SpecFields() =>
        JsonSerializer.SerializeToElement(Default, RecordJson.Compact).EnumerateObject().Select(p => p.Name);

    [Test(Description = "Every property of the spec has its row in the table of spec fields, and each row reads and writes its own property")]
    public void The_table_has_every_field()
    {
        Table.All.Select(f => f.JsonName).Should().Equal(SpecFields(), "options, names, reports and CSVs are made from the rows, in the spec's order");
        var json = JsonSerializer.SerializeToElement(Default with { ClipNorm = 2, Samples = 300 }, RecordJson.Compact);
        foreach (var field in Table.All)
            field.Text(Default with { ClipNorm = 2, Samples = 300 }).Should().Be(
                json.GetProperty(field.JsonName) is var v && v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Null ? "" : v.GetRawText(),
                $"the {field.Option} row reads {field.Property}");
    }

    [Test(Description = "Every spec field is either named when it differs from its default, or a job-wide condition")]
    public void Every_field_is_covered() =>
        Table.All.Where(f => !f.JobWide).Select(f => f.JsonName).Should().BeEquivalentTo(OneFieldApart.Keys,
            "a new spec field needs a name part, or to be job-wide");

    [Test(Description = "Each row's option sets its own field: a value given through it is the value the spec holds")]
    public void Each_row_sets_its_own_field()
    {
        foreach (var (field, value) in new (SpecField, object)[]
                 {
                     (Table.Depth, 7), (Table.Width, 9), (Table.LearningRate, 0.25), (Table.Activation, "tanh"), (Table.Data, "/x"),
                     (Table.Residual, true), (Table.Seed, 5), (Table.InitBatches, 2), (Table.Precision, "float64"),
                 })
        {
            var spec = field.WithOptionValue(Default, value);
            field.Text(spec).Should().Be(SpecField.Show(value).ToLowerInvariant(), field.Option);
            Table.All.Where(f => f != field).Should().OnlyContain(f => f.Text(spec) == f.Text(Default), $"{field.Option} sets only its field");
        }
    }

    [TestCaseSource(nameof(Fields))]
    public void Specs_one_field_apart_get_different_names_and_labels(string field)
    {
        var (a, b) = OneFieldApart[field];
        a.Validate();
        b.Validate();
        b.FileName().Should().NotBe(a.FileName(), $"they differ in {field}");
        b.Label.Should().NotBe(a.Label, $"they differ in {field}");
    }

    static IEnumerable<string> Fields() => OneFieldApart.Keys;

    [TestCase(Activation.Sigmoid, 5, "sigmoid-d5", "sigmoid, 5 hidden × 128, glorot-uniform")]
    [TestCase(Activation.Relu, 5, "relu-d5", "relu, 5 hidden × 128, glorot-uniform")]
    [TestCase(Activation.Sigmoid, 20, "sigmoid-d20", "sigmoid, 20 hidden × 128, glorot-uniform")]
    [TestCase(Activation.Relu, 20, "relu-d20", "relu, 20 hidden × 128, glorot-uniform")]
    public void The_classic_configurations_keep_their_names(Activation activation, int depth, string name, string label)
    {
        // As the main job, the short CI job and the snapshots run them: other epochs and samples, same names.
        foreach (var spec in new[] { new ExperimentSpec { Activation = activation, Depth = depth, Epochs = 10 },
                                     new ExperimentSpec { Activation = activation, Depth = depth, Epochs = 2, Samples = 2000 } })
        {
            spec.FileName().Should().Be(name);
            spec.Label.Should().Be(label);
        }
    }

    [Test(Description = "File names stay short whatever the values, and values that differ far from the point still differ")]
    public void File_names_stay_short_and_distinct()
    {
        var extreme = new ExperimentSpec
        {
            Depth = int.MaxValue, Width = int.MaxValue, Activation = Activation.LeakyRelu, Init = Initialization.Normal,
            SigmaW2 = 1e300, BiasSigma2 = 1.2345678901234567e-300, Normalization = Normalization.Batch, Residual = true,
            Optimizer = OptimizerKind.Sgd, LearningRate = 0.30000000000000004, Momentum = 0.12345678901234567,
            BatchSize = int.MaxValue, ClipNorm = 1.7976931348623157e308, Seed = int.MinValue, Precision = Precision.Float64,
        };
        extreme.FileName().Length.Should().BeLessThanOrEqualTo(100);
        (extreme with { Seed = int.MinValue + 1 }).FileName().Should().NotBe(extreme.FileName());
        (Default with { LearningRate = 1e-300 }).FileName().Length.Should().BeLessThanOrEqualTo(100);
    }

    [Test(Description = "epochs.csv and layers.csv have a column for every spec field, holding the value the run used")]
    public void Csv_columns_carry_every_spec_field()
    {
        var spec = Default with { Optimizer = OptimizerKind.Sgd, LearningRate = 0.01, Momentum = 0.5, BiasSigma2 = 0.05, Data = "/data/a,b \"c\"" };
        var record = new RunRecord(RunRecord.CurrentSchema, spec.Id, spec, EnvironmentInfo.Capture(1),
            new DataDescription("test data", null, "none"), null, [new EpochRecord(0, 4, 2.3, 0.1, 2.31, 0.09, [])], null, true);

        foreach (string csv in new[] { TidyCsv.Epochs([record]), TidyCsv.Layers([record]) })
        {
            string header = csv.Split('\n')[0];
            foreach (string field in SpecFields())
                header.Split(',').Should().Contain(JsonNamingPolicy.SnakeCaseLower.ConvertName(field), $"{field} is a spec field");
        }
        var rows = TidyCsv.Epochs([record]).Split('\n');
        var columns = rows[0].Split(',');
        var cells = SplitCsvRow(rows[1]);
        cells.Should().HaveCount(columns.Length);
        var value = columns.Zip(cells).ToDictionary(p => p.First, p => p.Second);
        value["learning_rate"].Should().Be("0.01");
        value["momentum"].Should().Be("0.5");
        value["bias_sigma2"].Should().Be("0.05");
        value["optimizer"].Should().Be("sgd");
        value["clip_norm"].Should().Be("", "no clipping");
        value["data"].Should().Be("/data/a,b \"c\"");
    }

    /// <summary>RFC 4180: fields with commas or quotes are quoted, quotes doubled.</summary>
    internal static List<string> SplitCsvRow(string row)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < row.Length; i++)
        {
            char c = row[i];
            if (quoted && c == '"' && i + 1 < row.Length && row[i + 1] == '"') { cell.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells;
    }
}
