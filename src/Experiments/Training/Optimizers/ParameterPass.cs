using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

using Experiments.Diagnostics;
using static Experiments.Diagnostics.Reductions;

namespace Experiments.Training.Optimizers;

/// <summary>
/// An optimizer's rule for one element: the new value of a parameter from its current one, reading the gradient and
/// updating the optimizer's own state at the same place (an index within the parameter's segment). The vector form takes
/// <see cref="Vector256{T}.Count"/> elements from its index; both forms must compute
/// alike, element by element (a rule writes its arithmetic once, over vectors, and runs one element as a vector's lane).
/// </summary>
public interface IElementUpdate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    Vector256<T> Next(int index, Vector256<T> current);
    T Next(int index, T current);
}

/// <summary>
/// An optimizer's pass over a parameter segment: its rule applied to every element, and, when the tracker asks for the
/// step's relative change, Σ(Δp)² and Σp² summed in the same pass in the tracker's fixed order (<see cref="Reductions"/>).
/// </summary>
public static class ParameterPass
{
    /// <summary>Applies <paramref name="rule"/> to every parameter, in one pass.</summary>
    public static void Apply<T, TRule>(Span<T> parameters, ref TRule rule)
        where T : unmanaged, IFloatingPointIeee754<T> where TRule : IElementUpdate<T>, allows ref struct
    {
        ref T start = ref MemoryMarshal.GetReference(parameters);
        int i = 0, width = Vector256<T>.Count;
        for (; i <= parameters.Length - width; i += width)
            rule.Next(i, Vector256.LoadUnsafe(ref start, (nuint)i)).StoreUnsafe(ref start, (nuint)i);
        for (; i < parameters.Length; i++) parameters[i] = rule.Next(i, parameters[i]);
    }

    /// <summary>Applies <paramref name="rule"/> to every parameter and returns Σ(Δp)² of the step (Δp = new − old in the
    /// data's precision) and Σp² before it, in one pass, summed in the order of the class's documentation: what a tracked
    /// step needs for ‖ΔW‖/‖W‖, without a copy of the weights.</summary>
    public static (double Change, double Before) ApplyMeasured<T, TRule>(Span<T> parameters, ref TRule rule)
        where T : unmanaged, IFloatingPointIeee754<T> where TRule : IElementUpdate<T>, allows ref struct
    {
        ref T start = ref MemoryMarshal.GetReference(parameters);
        int i = 0, width = Vector256<T>.Count;
        var (changes, squares) = (new SquareSum(), new SquareSum());
        // A run's changes and old values, kept in case the run is too small to square in float32.
        Span<T> runChanges = stackalloc T[Run], runValues = stackalloc T[Run];
        ref T keptChanges = ref MemoryMarshal.GetReference(runChanges), keptValues = ref MemoryMarshal.GetReference(runValues);
        while (i <= parameters.Length - Run)
        {
            var (changeSquares, valueSquares) = (new RunSquares<T>(), new RunSquares<T>());
            for (int j = 0; j < Run; j += 2 * width, i += 2 * width)
            {
                var (old0, old1) = (Vector256.LoadUnsafe(ref start, (nuint)i), Vector256.LoadUnsafe(ref start, (nuint)(i + width)));
                var (new0, new1) = (rule.Next(i, old0), rule.Next(i + width, old1));
                new0.StoreUnsafe(ref start, (nuint)i);
                new1.StoreUnsafe(ref start, (nuint)(i + width));
                var (d0, d1) = (new0 - old0, new1 - old1);
                d0.StoreUnsafe(ref keptChanges, (nuint)j);
                d1.StoreUnsafe(ref keptChanges, (nuint)(j + width));
                old0.StoreUnsafe(ref keptValues, (nuint)j);
                old1.StoreUnsafe(ref keptValues, (nuint)(j + width));
                changeSquares.Add(Vector256.Abs(d0), Vector256.Abs(d1));
                valueSquares.Add(Vector256.Abs(old0), Vector256.Abs(old1));
            }
            var (changeRun, valueRun) = (changeSquares.Result, valueSquares.Result); // before any call (see Sums)
            changes.Add(changeRun, runChanges);
            squares.Add(valueRun, runValues);
        }
        double changeSum = changes.Total, squareSum = squares.Total;
        for (; i < parameters.Length; i++)
        {
            T old = parameters[i];
            parameters[i] = rule.Next(i, old);
            double change = double.CreateTruncating(parameters[i] - old), value = double.CreateTruncating(old);
            changeSum += change * change;
            squareSum += value * value;
        }
        return (changeSum, squareSum);
    }
}
