using Experiments.Training.Optimizers;
using FluentAssertions;
using NUnit.Framework;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Hypotheses.Foundation;

/// <summary>The project's optimizers (which hold their Scalars) against TorchSharp's own, step for step.</summary>
[TestFixture]
public class OptimizerTests
{
    const int Steps = 100;

    [Test]
    public void Adam_equals_TorchSharps_Adam() =>
        Compare(p => new Experiments.Training.Optimizers.Adam(p, 1e-3), p => optim.Adam(p, 1e-3));

    [TestCase(0.9)]
    [TestCase(0.0)]
    public void Sgd_equals_TorchSharps_SGD(double momentum) =>
        Compare(p => new Experiments.Training.Optimizers.Sgd(p, 0.05, momentum), p => optim.SGD(p, 0.05, momentum));

    /// <summary>Two copies of one small float64 network take <see cref="Steps"/> steps on the same batches; their weights must be identical.</summary>
    static void Compare(Func<IEnumerable<Parameter>, StepOptimizer> ours, Func<IEnumerable<Parameter>, optim.Optimizer> theirs)
    {
        var generator = new Generator(7, CPU);
        var (a, b) = (Network(), Network());
        b.load_state_dict(a.state_dict());
        using var ourOptimizer = ours(a.parameters());
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
            theirOptimizer.step();
        }
        foreach (var (ourParameter, theirParameter) in a.parameters().Zip(b.parameters()))
        {
            double largest = (ourParameter - theirParameter).abs().max().item<double>();
            largest.Should().Be(0, "the same operations in the same order give the same bits");
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
