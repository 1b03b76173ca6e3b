using Experiments.Models;
using Experiments.Records;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Training.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015), the same operations in the same order as TorchSharp's, so that its results are the
/// same to the last bit: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − (lr/(1−β₁ᵗ))·m/(√v/√(1−β₂ᵗ) + ε).
/// </summary>
public sealed class Adam : StepOptimizer
{
    readonly double learningRate, beta1, beta2;
    readonly Scalar beta1Scalar, beta2Scalar, oneMinusBeta1, oneMinusBeta2, epsilon;
    readonly List<(Tensor Mean, Tensor Square)> moments;
    long step;

    public Adam(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
        : base(parameters)
    {
        (this.learningRate, this.beta1, this.beta2) = (learningRate, beta1, beta2);
        beta1Scalar = beta1.ToScalar();
        beta2Scalar = beta2.ToScalar();
        oneMinusBeta1 = (1 - beta1).ToScalar();
        oneMinusBeta2 = (1 - beta2).ToScalar();
        epsilon = eps.ToScalar();
        moments = Parameters.Select(p => (zeros_like(p).DetachFromDisposeScope(), zeros_like(p).DetachFromDisposeScope())).ToList();
    }

    protected override void StepCore()
    {
        step++;
        double biasCorrection1 = 1 - Math.Pow(beta1, step), biasCorrection2 = 1 - Math.Pow(beta2, step);
        using var rootCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var negativeStepSize = (-(learningRate / biasCorrection1)).ToScalar();
        for (int i = 0; i < Parameters.Count; i++)
        {
            var grad = Parameters[i].grad;
            if (grad is null) continue;
            var (mean, square) = moments[i];
            mean.mul_(beta1Scalar).add_(grad, oneMinusBeta1);
            square.mul_(beta2Scalar).addcmul_(grad, grad, oneMinusBeta2);
            using var denominator = square.sqrt();
            denominator.div_(rootCorrection2).add_(epsilon, Scalars.One);
            Parameters[i].addcdiv_(mean, denominator, negativeStepSize);
        }
    }

    public override void Dispose()
    {
        foreach (var (mean, square) in moments) { mean.Dispose(); square.Dispose(); }
        foreach (var scalar in new[] { beta1Scalar, beta2Scalar, oneMinusBeta1, oneMinusBeta2, epsilon }) scalar.Dispose();
    }
}
