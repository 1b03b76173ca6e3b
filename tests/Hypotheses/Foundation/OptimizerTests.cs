using Experiments.Models;
using Experiments.Training.Optimizers;
using FluentAssertions;
using NUnit.Framework;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Hypotheses.Foundation;

/// <summary>The project's own optimizers (one C# pass over the flat parameters and the gradients a step) against
/// TorchSharp's own per-tensor ones, step for step.</summary>
[TestFixture]
public class OptimizerTests
{
    const int Steps = 100;

    // Each step may round an update differently from libtorch: IEEE √ against MKL's, and one rounding for a multiply and
    // an add where libtorch's AVX2 and AVX-512 kernels fuse them into one. Bound: about an ulp of a weight (|w| < 1 here)
    // a step, fed back through later gradients; over the steps Steps · 2⁻⁵² ≈ 2.2e-14 in float64 (measured: at most
    // 3.6e-16) and Steps · 2⁻²³ ≈ 1.2e-5 in float32 (measured: at most 1.9e-7). A bound on round-off only: an order of
    // operations equal to TorchSharp's in exact arithmetic would pass too, and may; a wrong formula would not.
    static double RoundOff(ScalarType dtype) => Steps * Math.Pow(2, dtype == float64 ? -52 : -23);

    [Test]
    public void Adam_equals_TorchSharps_Adam([Values(ScalarType.Float64, ScalarType.Float32)] ScalarType dtype) =>
        Compare(flat => new Experiments.Training.Optimizers.Adam(flat, 1e-3), p => optim.Adam(p, 1e-3), dtype, RoundOff(dtype));

    [Test]
    public void Sgd_equals_TorchSharps_SGD([Values(0.9, 0.0)] double momentum, [Values(ScalarType.Float64, ScalarType.Float32)] ScalarType dtype) =>
        Compare(flat => new Experiments.Training.Optimizers.Sgd(flat, 0.05, momentum), p => optim.SGD(p, 0.05, momentum), dtype, RoundOff(dtype));

    [Test(Description = "Clipping the flat gradient's norm equals libtorch's clip_grad_norm_ over the parameters, to round-off")]
    public void Clipping_equals_TorchSharps_clip_grad_norm() =>
        Compare(flat => new Experiments.Training.Optimizers.Sgd(flat, 0.05, 0.9, clipNorm: 0.1), p => optim.SGD(p, 0.05, 0.9),
            float64, RoundOff(float64), clip: 0.1); // the norm sums its squares in another order: round-off too

    /// <summary>Three copies of one small network (weights of several runs of 256 and a tail, a layer norm's segments) take
    /// <see cref="Steps"/> steps on the same batches: ours untracked, ours asked for every parameter's change, TorchSharp's.
    /// Ours must agree with TorchSharp's within <paramref name="tolerance"/>; the measured copy must be bit-identical to the
    /// unmeasured one, and report each step's Σ(Δp)² and Σp² as a float64 computation finds them.</summary>
    static void Compare(Func<FlatParameters, StepOptimizer> ours, Func<IEnumerable<Parameter>, optim.Optimizer> theirs, ScalarType dtype,
        double tolerance, double? clip = null)
    {
        var generator = new Generator(7, CPU);
        var (a, measured, b) = (Network(dtype), Network(dtype), Network(dtype));
        measured.load_state_dict(a.state_dict()); // one network, whatever else draws from the global generator meanwhile
        b.load_state_dict(a.state_dict());
        using var flat = new FlatParameters(a.parameters());
        using var measuredFlat = new FlatParameters(measured.parameters());
        using var ourOptimizer = ours(flat);
        using var measuredOptimizer = ours(measuredFlat);
        var changes = new Experiments.Diagnostics.StepChanges(measuredFlat, measured.parameters());
        var theirOptimizer = theirs(b.parameters());
        for (int step = 0; step < Steps; step++)
        {
            using var batch = NewDisposeScope();
            var x = randn(16, 40, dtype: float64, generator: generator).to(dtype);
            var y = randint(0, 3, [16], generator: generator);
            flat.ClearGradients();
            nn.functional.cross_entropy(a.forward(x), y).backward();
            ourOptimizer.Step();
            measuredFlat.ClearGradients();
            nn.functional.cross_entropy(measured.forward(x), y).backward();
            var before = measured.parameters().Select(p => p.detach().to(float64).clone()).ToList();
            measuredOptimizer.Step(changes);
            foreach (var (parameter, index) in measured.parameters().Select((p, i) => (p, i)))
            {
                var (change, squares) = changes.Take(measuredFlat.IndexOf(parameter));
                double expectedChange = (parameter.detach().to(dtype).to(float64) - before[index]).square().sum().item<double>();
                double expectedSquares = before[index].square().sum().item<double>();
                // Relative: the kernel sums float32 data in float32 within runs (19 roundings of 2⁻²⁴ at most, ReductionsTests).
                double relative = dtype == float64 ? 1e-12 : 19 * Math.Pow(2, -24);
                change.Should().BeApproximately(expectedChange, relative * expectedChange, $"step {step + 1}, parameter {index}: Σ(Δp)²");
                squares.Should().BeApproximately(expectedSquares, relative * expectedSquares, $"step {step + 1}, parameter {index}: Σp² before");
            }
            theirOptimizer.zero_grad();
            nn.functional.cross_entropy(b.forward(x), y).backward();
            if (clip is { } maxNorm) nn.utils.clip_grad_norm_(b.parameters(), maxNorm);
            theirOptimizer.step();
        }
        foreach (var ((ourParameter, measuredParameter), theirParameter) in a.parameters().Zip(measured.parameters()).Zip(b.parameters()))
        {
            double largest = (ourParameter - theirParameter).abs().max().to(float64).item<double>();
            largest.Should().BeLessThanOrEqualTo(tolerance, "the same operations in the same order differ only by round-off");
            ourParameter.eq(measuredParameter).all().item<bool>().Should().BeTrue("measuring a step must not change it");
        }
        // The weights did move: a test of two optimizers that both do nothing would pass otherwise.
        using var initial = Network(dtype);
        (a.parameters().First() - initial.parameters().First()).abs().max().to(float64).item<double>().Should().BeGreaterThan(0);
    }

    /// <summary>1,200 weights in the first layer (four runs of 256 and a tail), a layer norm, and small segments.</summary>
    static Sequential Network(ScalarType dtype)
    {
        random.manual_seed(3);
        return nn.Sequential(nn.Linear(40, 30), nn.LayerNorm(30), nn.Tanh(), nn.Linear(30, 3)).to(dtype);
    }
}
