using Experiments.Diagnostics;
using Experiments.Models;
using Experiments.Records;
using Experiments.Reporting;
using FluentAssertions;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>
/// CSVs of several jobs stack without surprises: the same header, a spec id on every row, every not-applicable field
/// written one way (empty), and columns that tell a diverged, an interrupted and a finished run apart, and the CPU and
/// kernel settings each ran under.
/// </summary>
[TestFixture, Category("Reliability")]
public class CsvStackingTests
{
    // Two jobs whose configurations share the name relu-d5: samples and epochs are job-wide, so not in the name.
    static readonly ExperimentSpec Glorot = new() { Samples = 1000, Epochs = 2 };
    static readonly RunRecord[] JobA =
    [
        Record(Glorot, epochs: 2),
        Record(Glorot with { Activation = Activation.Sigmoid, Seed = 2 }, epochs: 2, diverged: true),
    ];
    static readonly RunRecord[] JobB =
    [
        Record(Glorot with { Samples = 2000, Epochs = 3 }, epochs: 3),
        Record(Glorot with { Samples = 2000, Epochs = 3, Init = Initialization.Normal, SigmaW2 = 2, Optimizer = OptimizerKind.Sgd }, epochs: 1, complete: false),
    ];

    [TestCase("layers"), TestCase("epochs")]
    public void Two_jobs_stack_and_group_by_every_spec_column_without_losing_a_row(string table)
    {
        string a = Csv(table, JobA), b = Csv(table, JobB);
        a.Split('\n')[0].Should().Be(b.Split('\n')[0], "one header for every job");
        var header = Cells(a.Split('\n')[0]);
        var rows = Rows(a).Concat(Rows(b)).ToList();

        // Grouping by every spec column (an empty cell is a key like any other, as with pandas' dropna=False or R's group_by)
        // gives one group per spec and loses no row; the spec id alone gives the same groups.
        int[] specColumns = SpecColumns.Names.Select(n => Array.IndexOf(header, n)).ToArray();
        specColumns.Should().NotContain(-1);
        var groups = rows.GroupBy(r => string.Join('\u0001', specColumns.Select(c => r[c]))).ToList();
        groups.Sum(g => g.Count()).Should().Be(rows.Count);
        groups.Should().HaveCount(JobA.Length + JobB.Length, "four specs, two of them named relu-d5");
        foreach (var group in groups) group.Select(r => r[Array.IndexOf(header, "spec_id")]).Distinct().Should().ContainSingle();
        rows.Where(r => r[Array.IndexOf(header, "configuration")] == "relu-d5").Select(r => r[Array.IndexOf(header, "spec_id")])
            .Distinct().Should().HaveCount(2, "the name is no key across jobs: the spec id is");
    }

    [Test(Description = "A field that does not apply is empty, never its unused default: σ_w² under Glorot, momentum under Adam")]
    public void Not_applicable_fields_are_empty()
    {
        var adam = Row("epochs", JobA[0]);
        adam["sigma_w2"].Should().Be("");
        adam["momentum"].Should().Be("", "Adam has no momentum setting; 0.9 is SGD's default, unused here");
        adam["bias_sigma2"].Should().Be("0", "zero biases apply to Glorot");
        var sgd = Row("epochs", JobB[1]);
        sgd["sigma_w2"].Should().Be("2");
        sgd["momentum"].Should().Be("0.9");
        Row("epochs", Record(Glorot with { Init = Initialization.TorchDefault }, epochs: 1))["bias_sigma2"].Should().Be("", "torch-default draws its own biases");
    }

    [Test(Description = "complete, diverged and trained_epochs tell a finished, a diverged and an interrupted run apart; cpu and kernel settings are on every row")]
    public void Run_columns_say_how_each_run_ended_and_where_it_ran()
    {
        var finished = Row("layers", JobA[0]);
        (finished["complete"], finished["diverged"], finished["trained_epochs"]).Should().Be(("true", "false", "2"));
        var diverged = Row("layers", JobA[1]);
        (diverged["complete"], diverged["diverged"], diverged["trained_epochs"]).Should().Be(("true", "true", "1"), "it diverged in epoch 2");
        var interrupted = Row("layers", JobB[1]);
        (interrupted["complete"], interrupted["diverged"], interrupted["trained_epochs"]).Should().Be(("false", "false", "1"));
        finished["cpu"].Should().Be(JobA[0].Environment.Cpu);
        finished["aten_cpu_capability"].Should().Be("avx2");
        finished["mkl_cbwr"].Should().Be("", "the machine's default");
    }

    static Dictionary<string, string> Row(string table, RunRecord record)
    {
        string csv = Csv(table, [record]);
        return Cells(csv.Split('\n')[0]).Zip(Rows(csv).First()).ToDictionary(p => p.First, p => p.Second);
    }

    static string Csv(string table, IReadOnlyList<RunRecord> records) => table == "layers" ? TidyCsv.Layers(records) : TidyCsv.Epochs(records);

    static IEnumerable<string[]> Rows(string csv) => csv.Split('\n').Skip(1).Where(l => l.Length > 0).Select(Cells);

    static string[] Cells(string row) => RecordTruthTests.SplitCsvRow(row).ToArray();

    /// <summary>A record with <paramref name="epochs"/> trained epochs after epoch 0, two layers of one metric each.</summary>
    static RunRecord Record(ExperimentSpec spec, int epochs, bool diverged = false, bool complete = true)
    {
        LayerRecord Layer(int layer) => new(layer, layer == 1 ? LayerRecord.Hidden : LayerRecord.Output, 4, 4,
            new Dictionary<string, MetricSummary> { [Metric.WeightGradNorm] = new(1, 0.5, 2) });
        var epochRecords = Enumerable.Range(0, epochs + 1).Select(e => new EpochRecord(e, 4, 2.3, 0.1, 2.3, 0.1, [Layer(1), Layer(2)])).ToList();
        var environment = EnvironmentInfo.Capture(1) with { AtenCpuCapability = "avx2", MklCbwr = null };
        return new RunRecord(RunRecord.CurrentSchema, spec.Id, spec, environment, new DataDescription("test data", null, "none"), null,
            epochRecords, diverged ? new Divergence(epochs, 3, "loss is NaN") : null, complete);
    }
}
