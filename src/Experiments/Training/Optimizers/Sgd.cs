using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Experiments.Diagnostics;
using Experiments.Models;

namespace Experiments.Training.Optimizers;

/// <summary>
/// SGD with momentum in one pass over the flat buffers, with TorchSharp's operations in TorchSharp's order (no
/// dampening): b ← g on the first step, then b ← μb + g; p ← p + (−lr)·b. With μ = 0, p ← p + (−lr)·g.
/// </summary>
public sealed class Sgd : StepOptimizer
{
    readonly double learningRate, momentum;
    readonly Array? buffer; // float[] or double[], as the parameters; none without momentum
    bool first = true;

    public Sgd(FlatParameters flat, double learningRate, double momentum, double? clipNorm = null) : base(flat, clipNorm)
    {
        (this.learningRate, this.momentum) = (learningRate, momentum);
        if (momentum != 0) buffer = NewState();
    }

    protected override (double Change, double Before) UpdateSegment<T>(Span<T> parameters, ReadOnlySpan<T> gradients, int offset, bool measure)
    {
        var rule = new Rule<T>(gradients, buffer is null ? default : Segment<T>(buffer, offset, parameters.Length), this);
        return Apply(parameters, ref rule, measure);
    }

    protected override void EndStep() => first = false;

    /// <summary>One segment's update; without momentum the buffer is empty and the gradient is the direction.</summary>
    ref struct Rule<T>(ReadOnlySpan<T> gradients, Span<T> buffer, Sgd sgd) : IElementUpdate<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        readonly ReadOnlySpan<T> gradients = gradients;
        readonly Span<T> buffer = buffer;
        readonly bool first = sgd.first;
        readonly Vector256<T> momentum = Vector256.Create(T.CreateTruncating(sgd.momentum)),
            negativeLearningRate = Vector256.Create(T.CreateTruncating(-sgd.learningRate));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<T> Next(int index, Vector256<T> current)
        {
            var direction = Vector256.Create(gradients.Slice(index));
            if (!buffer.IsEmpty)
            {
                if (!first) direction = Vector256.Create(buffer.Slice(index)) * momentum + direction;
                direction.CopyTo(buffer.Slice(index));
            }
            return current + negativeLearningRate * direction;
        }

        public T Next(int index, T current)
        {
            var direction = Vector256.Create(gradients[index]);
            if (!buffer.IsEmpty)
            {
                if (!first) direction = Vector256.Create(buffer[index]) * momentum + direction;
                buffer[index] = direction.GetElement(0);
            }
            return (Vector256.Create(current) + negativeLearningRate * direction).GetElement(0);
        }
    }
}
