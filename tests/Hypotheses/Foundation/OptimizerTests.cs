using Experiments.Models;
using Experiments.Training.Optimizers;
using FluentAssertions;
using NUnit.Framework;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Hypotheses.Foundation;

/// <summary>The project's fused optimizers (one C# pass over the flat buffers a step) against TorchSharp's own per-tensor
/// ones, step for step.</summary>
[TestFixture]
public class OptimizerTests
{
    const int Steps = 100;

    // Each step may round an update differently from libtorch: IEEE √ against MKL's, and one rounding for a multiply and
    // an add where libtorch's AVX2 and AVX-512 kernels fuse them into one. That is at most about an ulp of a weight
    // (|w| < 1 here) a step, so over the steps at most Steps · 2⁻⁵² ≈ 2.2e-14. Measured: 5.6e-17 (Adam), 1.7e-16 (SGD).
    static readonly double RoundOff = Steps * Math.Pow(2, -52);

    [Test]
    public void Adam_equals_TorchSharps_Adam() =>
        Compare(flat => new Experiments.Training.Optimizers.Adam(flat, 1e-3), p => optim.Adam(p, 1e-3), tolerance: RoundOff);

    [TestCase(0.9)]
    [TestCase(0.0)]
    public void Sgd_equals_TorchSharps_SGD(double momentum) =>
        Compare(flat => new Experiments.Training.Optimizers.Sgd(flat, 0.05, momentum), p => optim.SGD(p, 0.05, momentum), tolerance: RoundOff);

    [Test(Description = "Clipping the flat gradient's norm equals libtorch's clip_grad_norm_ over the parameters, to round-off")]
    public void Clipping_equals_TorchSharps_clip_grad_norm() =>
        Compare(flat => new Experiments.Training.Optimizers.Sgd(flat, 0.05, 0.9, clipNorm: 0.1), p => optim.SGD(p, 0.05, 0.9),
            tolerance: 1e-13, clip: 0.1); // the global norm also sums its squares in another order: round-off grown over 100 steps

    /// <summary>Two copies of one small float64 network take <see cref="Steps"/> steps on the same batches; their weights must
    /// agree within <paramref name="tolerance"/>.</summary>
    static void Compare(Func<FlatParameters, StepOptimizer> ours, Func<IEnumerable<Parameter>, optim.Optimizer> theirs,
        double tolerance, double? clip = null)
    {
        var generator = new Generator(7, CPU);
        var (a, b) = (Network(), Network());
        b.load_state_dict(a.state_dict());
        using var flat = new FlatParameters(a.parameters());
        using var ourOptimizer = ours(flat);
        var theirOptimizer = theirs(b.parameters());
        for (int step = 0; step < Steps; step++)
        {
            using var batch = NewDisposeScope();
            var x = randn(16, 8, dtype: float64, generator: generator);
            var y = randint(0, 3, [16], generator: generator);
            ourOptimizer.ZeroGrad();
            nn.functional.cross_entropy(a.forward(x), y).backward();
            ourOptimizer.Step();
            theirOptimizer.zero_grad();
            nn.functional.cross_entropy(b.forward(x), y).backward();
            if (clip is { } maxNorm) nn.utils.clip_grad_norm_(b.parameters(), maxNorm);
            theirOptimizer.step();
        }
        foreach (var (ourParameter, theirParameter) in a.parameters().Zip(b.parameters()))
        {
            double largest = (ourParameter - theirParameter).abs().max().item<double>();
            largest.Should().BeLessThanOrEqualTo(tolerance, "the same operations in the same order differ only by round-off");
        }
        // The weights did move: a test of two optimizers that both do nothing would pass otherwise.
        using var initial = Network();
        (a.parameters().First() - initial.parameters().First()).abs().max().item<double>().Should().BeGreaterThan(0);
    }

    static Sequential Network()
    {
        random.manual_seed(3);
        return nn.Sequential(nn.Linear(8, 12), nn.Tanh(), nn.Linear(12, 3)).to(float64);
    }
}
