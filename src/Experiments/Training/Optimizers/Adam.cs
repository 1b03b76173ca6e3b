using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Experiments.Diagnostics;
using Experiments.Models;

namespace Experiments.Training.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) in one pass over the flat buffers, with TorchSharp's operations in TorchSharp's order:
/// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g·g; p ← p + (−lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε). TorchSharp runs eight
/// libtorch kernels per parameter for it, with MKL's square root and, on AVX2 and AVX-512 CPUs, a multiply and an add
/// rounded once; here every operation rounds once, as IEEE defines it, on every CPU.
/// </summary>
public sealed class Adam : StepOptimizer
{
    readonly double learningRate, beta1, beta2, epsilon;
    readonly Array mean, square; // float[] or double[], as the parameters
    long step;
    double rootCorrection2, negativeStepSize;

    public Adam(FlatParameters flat, double learningRate, double? clipNorm = null, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
        : base(flat, clipNorm)
    {
        (this.learningRate, this.beta1, this.beta2, epsilon) = (learningRate, beta1, beta2, eps);
        (mean, square) = (NewState(), NewState());
    }

    protected override void BeginStep()
    {
        step++;
        rootCorrection2 = Math.Sqrt(1 - Math.Pow(beta2, step));
        negativeStepSize = -(learningRate / (1 - Math.Pow(beta1, step)));
    }

    protected override (double Change, double Before) UpdateSegment<T>(Span<T> parameters, ReadOnlySpan<T> gradients, int offset, bool measure)
    {
        var rule = new Rule<T>(gradients, Segment<T>(mean, offset, parameters.Length), Segment<T>(square, offset, parameters.Length), this);
        return Apply(parameters, ref rule, measure);
    }

    /// <summary>One segment's update. The coefficients are rounded to the data's precision, as libtorch rounds its Scalars.</summary>
    ref struct Rule<T>(ReadOnlySpan<T> gradients, Span<T> mean, Span<T> square, Adam adam) : IElementUpdate<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        readonly ReadOnlySpan<T> gradients = gradients;
        readonly Span<T> mean = mean, square = square;
        readonly Vector256<T> beta1 = Vector256.Create(T.CreateTruncating(adam.beta1)), oneMinusBeta1 = Vector256.Create(T.CreateTruncating(1 - adam.beta1)),
            beta2 = Vector256.Create(T.CreateTruncating(adam.beta2)), oneMinusBeta2 = Vector256.Create(T.CreateTruncating(1 - adam.beta2)),
            rootCorrection2 = Vector256.Create(T.CreateTruncating(adam.rootCorrection2)), epsilon = Vector256.Create(T.CreateTruncating(adam.epsilon)),
            negativeStepSize = Vector256.Create(T.CreateTruncating(adam.negativeStepSize));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<T> Next(int index, Vector256<T> current)
        {
            var (m, v) = Moments(Vector256.Create(gradients.Slice(index)), Vector256.Create(mean.Slice(index)), Vector256.Create(square.Slice(index)));
            m.CopyTo(mean.Slice(index));
            v.CopyTo(square.Slice(index));
            return Parameter(current, m, v);
        }

        public T Next(int index, T current)
        {
            var (m, v) = Moments(Vector256.Create(gradients[index]), Vector256.Create(mean[index]), Vector256.Create(square[index]));
            (mean[index], square[index]) = (m.GetElement(0), v.GetElement(0));
            return Parameter(Vector256.Create(current), m, v).GetElement(0);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        readonly (Vector256<T> Mean, Vector256<T> Square) Moments(Vector256<T> g, Vector256<T> m, Vector256<T> v) =>
            (m * beta1 + oneMinusBeta1 * g, v * beta2 + oneMinusBeta2 * g * g);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        readonly Vector256<T> Parameter(Vector256<T> p, Vector256<T> m, Vector256<T> v) =>
            p + negativeStepSize * m / (Vector256.Sqrt(v) / rootCorrection2 + epsilon);
    }
}
