using Experiments.Models;
using Experiments.Records;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Training.Optimizers;

/// <summary>
/// SGD with momentum, the same operations in the same order as TorchSharp's (no dampening): b ← g on the first
/// step, then b ← μb + g; p ← p − lr·b. With μ = 0, p ← p − lr·g.
/// </summary>
public sealed class Sgd : StepOptimizer
{
    readonly Scalar momentum, negativeLearningRate;
    readonly bool useMomentum;
    readonly Tensor?[] buffers;

    public Sgd(IEnumerable<Parameter> parameters, double learningRate, double momentum) : base(parameters)
    {
        useMomentum = momentum != 0;
        this.momentum = momentum.ToScalar();
        negativeLearningRate = (-learningRate).ToScalar();
        buffers = new Tensor?[Parameters.Count];
    }

    protected override void StepCore()
    {
        for (int i = 0; i < Parameters.Count; i++)
        {
            var grad = Parameters[i].grad;
            if (grad is null) continue;
            var direction = grad;
            if (useMomentum)
            {
                if (buffers[i] is not { } buffer) buffers[i] = buffer = grad.clone().detach().DetachFromDisposeScope();
                else buffer.mul_(momentum).add_(grad, Scalars.One);
                direction = buffer;
            }
            Parameters[i].add_(direction, negativeLearningRate);
        }
    }

    public override void Dispose()
    {
        foreach (var buffer in buffers) buffer?.Dispose();
        momentum.Dispose();
        negativeLearningRate.Dispose();
    }
}
