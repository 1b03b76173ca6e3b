using Experiments.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Training.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) over the flat buffers, the same operations in the same order as TorchSharp's per-tensor
/// Adam, so every element is computed alike: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
/// p ← p − (lr/(1−β₁ᵗ))·m/(√v/√(1−β₂ᵗ) + ε). Seven native calls a step.
/// </summary>
public sealed class Adam : StepOptimizer
{
    readonly double learningRate, beta1, beta2;
    readonly Scalar beta1Scalar, beta2Scalar, oneMinusBeta1, oneMinusBeta2, epsilon;
    readonly Tensor mean, square;
    long step;

    public Adam(FlatParameters flat, double learningRate, double? clipNorm = null, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
        : base(flat, clipNorm)
    {
        (this.learningRate, this.beta1, this.beta2) = (learningRate, beta1, beta2);
        beta1Scalar = beta1.ToScalar();
        beta2Scalar = beta2.ToScalar();
        oneMinusBeta1 = (1 - beta1).ToScalar();
        oneMinusBeta2 = (1 - beta2).ToScalar();
        epsilon = eps.ToScalar();
        mean = zeros_like(flat.Values).DetachFromDisposeScope();
        square = zeros_like(flat.Values).DetachFromDisposeScope();
    }

    protected override void StepCore(Tensor parameters, Tensor gradients)
    {
        step++;
        double biasCorrection1 = 1 - Math.Pow(beta1, step), biasCorrection2 = 1 - Math.Pow(beta2, step);
        using var rootCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var negativeStepSize = (-(learningRate / biasCorrection1)).ToScalar();
        mean.mul_(beta1Scalar).add_(gradients, oneMinusBeta1);
        square.mul_(beta2Scalar).addcmul_(gradients, gradients, oneMinusBeta2);
        using var denominator = square.sqrt();
        denominator.div_(rootCorrection2).add_(epsilon, Scalars.One);
        parameters.addcdiv_(mean, denominator, negativeStepSize);
    }

    public override void Dispose()
    {
        mean.Dispose();
        square.Dispose();
        foreach (var scalar in new[] { beta1Scalar, beta2Scalar, oneMinusBeta1, oneMinusBeta2, epsilon }) scalar.Dispose();
        base.Dispose();
    }
}
