using Experiments.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Training.Optimizers;

/// <summary>
/// SGD with momentum over the flat buffers, the same operations in the same order as TorchSharp's (no dampening):
/// b ← g on the first step, then b ← μb + g; p ← p − lr·b. With μ = 0, p ← p − lr·g.
/// </summary>
public sealed class Sgd : StepOptimizer
{
    readonly Scalar momentum, negativeLearningRate;
    readonly bool useMomentum;
    Tensor? buffer;

    public Sgd(FlatParameters flat, double learningRate, double momentum, double? clipNorm = null) : base(flat, clipNorm)
    {
        useMomentum = momentum != 0;
        this.momentum = momentum.ToScalar();
        negativeLearningRate = (-learningRate).ToScalar();
    }

    protected override void StepCore(Tensor parameters, Tensor gradients)
    {
        var direction = gradients;
        if (useMomentum)
        {
            if (buffer is null) buffer = gradients.clone().DetachFromDisposeScope();
            else buffer.mul_(momentum).add_(gradients, Scalars.One);
            direction = buffer;
        }
        parameters.add_(direction, negativeLearningRate);
    }

    public override void Dispose()
    {
        buffer?.Dispose();
        foreach (var scalar in new[] { momentum, negativeLearningRate }) scalar.Dispose();
        base.Dispose();
    }
}
