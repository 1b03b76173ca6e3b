using Experiments.Cli;
using Experiments.Records;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>
/// A sweep file's values are values, a sweep file is one document, and a setting the model's precision cannot hold is
/// refused before anything trains, naming the option and the range.
/// </summary>
[TestFixture, Category("Reliability")]
public class SweepValueTests
{
    static IReadOnlyList<ExperimentSpec> Read(string text)
    {
        using var temp = new TempFolder("sweep-value-");
        string path = Path.Combine(temp.Path, "sweep.yaml");
        File.WriteAllText(path, text);
        return SweepCommand.Specs(path);
    }

    [Test(Description = "A list value that looks like an option is a value of its own option: refused as an activation, not read as --lr")]
    public void A_list_value_that_looks_like_an_option_is_a_value()
    {
        var read = () => Read("activation: [relu, \"--lr\", \"0.5\"]\nsamples: 200\nepochs: 1\n");
        read.Should().Throw<SpecException>().WithMessage("*sweep.yaml:1:13: --activation --lr: expected one of*");
    }

    [Test(Description = "A value that names a response file is a value too")]
    public void A_value_like_a_response_file_is_a_value()
    {
        var read = () => Read("activation: \"@sweep.yaml\"\n");
        read.Should().Throw<SpecException>().WithMessage("*--activation @sweep.yaml: expected one of*");
    }

    [Test(Description = "Negative numbers in lists still read as numbers")]
    public void Negative_numbers_are_values() => Read("depth: 2\nactivation: relu\nseed: [-5, 2]\n").Select(s => s.Seed).Should().Equal(-5, 2);

    [Test(Description = "A second YAML document is refused with the file and its line, not ignored")]
    public void A_second_document_is_refused()
    {
        var read = () => Read("depth: 2\nsamples: 200\n---\nlr: 0.5\n");
        read.Should().Throw<SpecException>().WithMessage("*sweep.yaml:4: a second YAML document*");
    }

    [TestCase("lr", "--lr", Precision.Float32, 1e-320)]
    [TestCase("lr", "--lr", Precision.Float32, 1e-40)]
    [TestCase("lr", "--lr", Precision.Float64, 1e-320)]
    [TestCase("sigmaW2", "--sigma-w2", Precision.Float32, 1e-320)]
    [TestCase("sigmaW2", "--sigma-w2", Precision.Float32, 1e-40)]
    [TestCase("sigmaB2", "--sigma-b2", Precision.Float32, 1e-40)]
    [TestCase("sigmaB2", "--sigma-b2", Precision.Float64, 1e-320)]
    [TestCase("clip", "--clip", Precision.Float32, 1e-40)]
    [TestCase("momentum", "--momentum", Precision.Float32, 1e-40)]
    public void A_value_the_precision_cannot_hold_is_refused_up_front(string field, string option, Precision precision, double value)
    {
        var spec = new ExperimentSpec { Precision = precision, Init = Experiments.Models.Initialization.Normal, SigmaW2 = 1 };
        spec = field switch
        {
            "lr" => spec with { LearningRate = value },
            "sigmaW2" => spec with { SigmaW2 = value },
            "sigmaB2" => spec with { BiasSigma2 = value },
            "clip" => spec with { ClipNorm = value },
            _ => spec with { Optimizer = OptimizerKind.Sgd, Momentum = value },
        };
        string smallest = precision == Precision.Float64 ? "2.2250738585072014E-308" : "1.1754944E-38";
        spec.Invoking(s => s.Validate()).Should().Throw<SpecException>().WithMessage($"{option} *: too small for*at least {smallest}*");
    }

    [Test(Description = "The smallest normal number and ordinary small values are accepted")]
    public void Small_values_the_precision_holds_are_accepted()
    {
        new ExperimentSpec { LearningRate = 1.17549435e-38 }.Validate();
        new ExperimentSpec { Precision = Precision.Float64, LearningRate = 1e-300, BiasSigma2 = 1e-300 }.Validate();
        new ExperimentSpec { BiasSigma2 = 1e-30 }.Validate();
    }

    [Test(Description = "phase --sigma-b2 1e-30 (q* is 0, so ξ_c is not defined) is refused before anything is trained or written")]
    public void Phase_with_a_bias_variance_too_small_for_theory_is_refused_up_front()
    {
        using var temp = new TempFolder("phase-sb-");
        var (code, output, error) = CliProcess.Run("phase", "--sigma-b2", "1e-30", "--sigma-w2", "1", "--depth", "2",
            "--samples", "200", "--epochs", "1", "--out", temp.Path);

        code.Should().Be(2, output + error);
        error.Should().Contain("--sigma-b2 1E-30: too small");
        Directory.Exists(Path.Combine(temp.Path, "runs")).Should().BeFalse("nothing is trained or written");
    }
}
