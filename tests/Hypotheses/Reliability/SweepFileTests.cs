using Experiments.Cli;
using Experiments.Records;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>Sweep files make the same grid as the command line, and a bad one is named by file, line and column.</summary>
[TestFixture, Category("Reliability")]
public class SweepFileTests
{
    static IReadOnlyList<ExperimentSpec> Read(string text, string extension = "yaml")
    {
        using var temp = new TempFolder("sweep-file-");
        string path = Path.Combine(temp.Path, $"sweep.{extension}");
        File.WriteAllText(path, text);
        return SweepCommand.Specs(path);
    }

    [Test]
    public void Yaml_and_json_make_the_grid_the_command_line_makes()
    {
        var yaml = Read("depth: [5, 20]\nactivation: [sigmoid, relu]\nseed: [1, 2]\nlr: 0.01\nresidual: [false, true]\n");
        var json = Read("{\"depth\": [5, 20], \"activation\": [\"sigmoid\", \"relu\"], \"seed\": [1, 2], \"lr\": 0.01, \"residual\": [false, true]}", "json");

        yaml.Should().HaveCount(16, "2 depths × 2 activations × 2 seeds × 2 residual");
        json.Select(s => s.Id).Should().Equal(yaml.Select(s => s.Id));
        yaml.Should().OnlyContain(s => s.LearningRate == 0.01);
        yaml.Take(2).Select(s => s.Seed).Should().Equal([1, 2], "the seeds of a configuration sit together");
    }

    [TestCase("depth: [5\n", "sweep.yaml:2:1: While parsing a flow sequence")]
    [TestCase("depth: [2, 3\nseed: 1\n", "sweep.yaml: not valid YAML or JSON")]
    [TestCase("depth: 5\n  x: : y\n", "sweep.yaml:2:")]
    [TestCase("init: normal\nsigma-w2: 2\ninit-batches: 0\n", "sweep.yaml:3:15: --init-batches 0: expected at least 1")] // not --init's line
    [TestCase("depth: 5\ndept: 3\n", "sweep.yaml:2:1: unknown option 'dept' (did you mean 'depth'?); expected one of data, samples, test-fraction, model, depth,")]
    [TestCase("depth: 5\nlr: [0.1, abc]\n", "sweep.yaml:2:5: --lr abc: expected a number")]
    [TestCase("depth: 5\nactivation: [relu, swish]\n", "sweep.yaml:2:13: --activation swish: expected one of sigmoid")]
    [TestCase("depth: 5\nmomentum: 0.5\n", "sweep.yaml:2:11: --momentum 0.5: applies to --optimizer sgd")]
    [TestCase("depth: {a: 1}\n", "sweep.yaml:1:8: depth: expected a value or a list of values")]
    [TestCase("- 5\n- 20\n", "sweep.yaml: expected a mapping of options to values")]
    public void A_bad_sweep_file_is_named_with_line_and_column(string text, string expected)
    {
        var read = () => Read(text);
        read.Should().Throw<SpecException>().Where(e => e.Message.Contains(expected), $"the message was expected to contain \"{expected}\"");
    }
}
