using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Experiments.Diagnostics;

/// <summary>Elements [Offset, Offset + Length) of a contiguous CPU tensor of float32 or float64, read in place.</summary>
public readonly record struct Block(Tensor Tensor, long Offset, long Length)
{
    /// <summary>Every element of <paramref name="tensor"/>.</summary>
    public static Block Whole(Tensor tensor) => new(tensor, 0, tensor.numel());

    internal bool IsDouble => Tensor.dtype switch
    {
        ScalarType.Float64 => true,
        ScalarType.Float32 => false,
        var other => throw new NotSupportedException($"the tracker sums float32 and float64 tensors, not {other}"),
    };

    /// <summary>The elements, in the tensor's memory (TorchSharp's <c>bytes</c> checks that it is contiguous and on the CPU).</summary>
    internal Span<T> Span<T>() where T : unmanaged => MemoryMarshal.Cast<byte, T>(Tensor.bytes).Slice(checked((int)Offset), checked((int)Length));
}

/// <summary>
/// The per-layer sums a tracked step needs, computed in C# over the tensors' own memory: no libtorch operation (only a few
/// calls to find each tensor's memory), no temporary tensor, and one pass where libtorch would take several (‖g‖ and Σ|g|
/// together; a step's change of the weights, their norm and the copy kept for the next step together).
/// <para>Every sum runs in a fixed order, in <see cref="Vector256{T}"/> lanes: that order is the same with AVX-512, AVX2 or
/// no vector unit at all (.NET computes Vector256 in software there), so a sum does not depend on the CPU. Squares are
/// taken and summed in float64 (a float32 below 1e-19 squared in float32 would vanish: deep gradients get there). A block
/// of eight float32 values (four float64) at a time, alternating between two such blocks, widens into four float64 lanes
/// each (float32: lanes 0–3 and 4–7 apart); at the end the sets are added pairwise, (a + b) + (c + d), then the lanes
/// first to last, then the tail in float64 (the elements after the last whole pair of vectors, or for <see cref="Sums"/>
/// after the last whole run of 256). Magnitudes and differences are taken in the data's precision; magnitudes are
/// summed so within runs of 256 elements (16 terms a float32 lane), each run's two lane sets added and widened into
/// float64 lanes (float32: lane k plus lane k + 4).</para>
/// Comparisons (the health metrics) are made in the data's own precision, as libtorch makes them.
/// </summary>
public static class Reductions
{
    /// <summary>Σx² and Σ|x| of a block, in one pass.</summary>
    public static (double Squares, double Magnitudes) Sums(Block block) =>
        block.IsDouble ? Sums<double>(block.Span<double>()) : Sums<float>(block.Span<float>());

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> (of one length) and returns Σx², in one pass.</summary>
    public static double CopyWithSquares(Block source, Block destination) => source.IsDouble
        ? CopyWithSquares<double>(source.Span<double>(), destination.Span<double>())
        : CopyWithSquares<float>(source.Span<float>(), destination.Span<float>());

    /// <summary>Σ(x − y)² (the difference taken in the data's precision) and Σx², then copies <paramref name="x"/> over
    /// <paramref name="y"/>, in one pass.</summary>
    public static (double Distance, double Squares) SquaredDistanceThenCopy(Block x, Block y) => x.IsDouble
        ? SquaredDistanceThenCopy<double>(x.Span<double>(), y.Span<double>())
        : SquaredDistanceThenCopy<float>(x.Span<float>(), y.Span<float>());

    /// <summary>How many elements lie farther than <paramref name="margin"/> from <paramref name="center"/>: |x − c| &gt; m,
    /// in the data's precision (NaN is not counted).</summary>
    public static long CountFartherThan(Block block, double center, double margin) => block.IsDouble
        ? CountFartherThan(block.Span<double>(), center, margin)
        : CountFartherThan(block.Span<float>(), (float)center, (float)margin);

    /// <summary>Of a [rows, columns] block (row-major), how many columns are at or below 0 in every row (NaN is not).</summary>
    public static long CountColumnsAtOrBelowZero(Block block, int columns) => block.IsDouble
        ? CountColumnsAtOrBelowZero(block.Span<double>(), columns)
        : CountColumnsAtOrBelowZero(block.Span<float>(), columns);

    /// <summary>Elements whose magnitudes are summed in the data's precision before the sums join the float64 ones: 16 terms
    /// per float32 lane (at most 17 roundings of 2⁻²⁴, a relative error below 1.1e-6), so the inner loop keeps up with memory.</summary>
    const int Run = 256;

    static (double, double) Sums<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T start = ref MemoryMarshal.GetReference(x);
        int i = 0, width = Vector256<T>.Count;
        var squares = new Squares();
        Vector256<double> magnitudes = default;
        while (i <= x.Length - Run)
        {
            Vector256<T> magnitudes0 = default, magnitudes1 = default;
            for (int end = i + Run; i < end; i += 2 * width)
            {
                var v0 = Vector256.Abs(Vector256.LoadUnsafe(ref start, (nuint)i));
                var v1 = Vector256.Abs(Vector256.LoadUnsafe(ref start, (nuint)(i + width)));
                squares.Add(v0, v1);
                magnitudes0 += v0;
                magnitudes1 += v1;
            }
            magnitudes += Wide(magnitudes0 + magnitudes1);
        }
        double squareSum = squares.Total, magnitudeSum = Lanes(magnitudes);
        for (; i < x.Length; i++)
        {
            double value = double.CreateTruncating(x[i]);
            squareSum += value * value;
            magnitudeSum += Math.Abs(value);
        }
        return (squareSum, magnitudeSum);
    }

    static double CopyWithSquares<T>(ReadOnlySpan<T> source, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckApart(source, destination);
        ref T from = ref MemoryMarshal.GetReference(source), to = ref MemoryMarshal.GetReference(destination);
        int i = 0, width = Vector256<T>.Count;
        var squares = new Squares();
        for (; i <= source.Length - 2 * width; i += 2 * width)
        {
            var (v0, v1) = (Vector256.LoadUnsafe(ref from, (nuint)i), Vector256.LoadUnsafe(ref from, (nuint)(i + width)));
            v0.StoreUnsafe(ref to, (nuint)i);
            v1.StoreUnsafe(ref to, (nuint)(i + width));
            squares.Add(v0, v1);
        }
        double squareSum = squares.Total;
        for (; i < source.Length; i++)
        {
            destination[i] = source[i];
            double value = double.CreateTruncating(source[i]);
            squareSum += value * value;
        }
        return squareSum;
    }

    static (double, double) SquaredDistanceThenCopy<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckApart(x, y);
        ref T from = ref MemoryMarshal.GetReference(x), to = ref MemoryMarshal.GetReference(y);
        int i = 0, width = Vector256<T>.Count;
        var (distances, squares) = (new Squares(), new Squares());
        for (; i <= x.Length - 2 * width; i += 2 * width)
        {
            var (v0, v1) = (Vector256.LoadUnsafe(ref from, (nuint)i), Vector256.LoadUnsafe(ref from, (nuint)(i + width)));
            distances.Add(v0 - Vector256.LoadUnsafe(ref to, (nuint)i), v1 - Vector256.LoadUnsafe(ref to, (nuint)(i + width)));
            v0.StoreUnsafe(ref to, (nuint)i);
            v1.StoreUnsafe(ref to, (nuint)(i + width));
            squares.Add(v0, v1);
        }
        double distanceSum = distances.Total, squareSum = squares.Total;
        for (; i < x.Length; i++)
        {
            double difference = double.CreateTruncating(x[i] - y[i]), value = double.CreateTruncating(x[i]);
            y[i] = x[i];
            distanceSum += difference * difference;
            squareSum += value * value;
        }
        return (distanceSum, squareSum);
    }

    static long CountFartherThan<T>(ReadOnlySpan<T> x, T center, T margin) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T start = ref MemoryMarshal.GetReference(x);
        Vector256<T> c = Vector256.Create(center), m = Vector256.Create(margin);
        long count = 0;
        int i = 0, width = Vector256<T>.Count;
        for (; i <= x.Length - width; i += width)
            count += BitOperations.PopCount(Vector256.GreaterThan(Vector256.Abs(Vector256.LoadUnsafe(ref start, (nuint)i) - c), m).ExtractMostSignificantBits());
        for (; i < x.Length; i++)
            if (T.Abs(x[i] - center) > margin) count++;
        return count;
    }

    static long CountColumnsAtOrBelowZero<T>(ReadOnlySpan<T> x, int columns) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (columns <= 0 || x.Length % columns != 0) throw new ArgumentException($"{x.Length} elements are not rows of {columns}", nameof(columns));
        ref T start = ref MemoryMarshal.GetReference(x);
        int rows = x.Length / columns, width = Vector256<T>.Count, j = 0;
        long count = 0;
        for (; j <= columns - width; j += width)
        {
            var inactive = Vector256<T>.AllBitsSet;
            for (int r = 0; r < rows && inactive != Vector256<T>.Zero; r++)
                inactive &= Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref start, (nuint)(r * columns + j)), Vector256<T>.Zero);
            count += BitOperations.PopCount(inactive.ExtractMostSignificantBits());
        }
        for (; j < columns; j++)
        {
            bool inactive = true;
            for (int r = 0; r < rows && inactive; r++) inactive = x[r * columns + j] <= T.Zero;
            if (inactive) count++;
        }
        return count;
    }

    /// <summary>Σx² in float64 lanes, in the order the class describes: two vectors of the data at a time.</summary>
    struct Squares
    {
        Vector256<double> a, b, c, d;

        public void Add<T>(Vector256<T> v0, Vector256<T> v1)
        {
            if (typeof(T) != typeof(float))
            {
                a += v0.AsDouble() * v0.AsDouble();
                c += v1.AsDouble() * v1.AsDouble();
                return;
            }
            var ((low0, high0), (low1, high1)) = (Vector256.Widen(v0.AsSingle()), Vector256.Widen(v1.AsSingle()));
            a += low0 * low0;
            b += high0 * high0;
            c += low1 * low1;
            d += high1 * high1;
        }

        public readonly double Total => Lanes(a + b + (c + d));
    }

    static void CheckApart<T>(ReadOnlySpan<T> source, Span<T> destination)
    {
        if (destination.Length != source.Length) throw new ArgumentException("the blocks differ in length", nameof(destination));
        if (source.Overlaps(destination)) throw new ArgumentException("the blocks overlap", nameof(destination));
    }

    /// <summary>A vector of partial sums in float64: float32's eight lanes added in pairs (widening is exact).</summary>
    static Vector256<double> Wide<T>(Vector256<T> v)
    {
        if (typeof(T) != typeof(float)) return v.AsDouble();
        var (low, high) = Vector256.Widen(v.AsSingle());
        return low + high;
    }

    /// <summary>The four lanes added first to last: a fixed order, unlike a horizontal add's.</summary>
    static double Lanes(Vector256<double> v) => v.GetElement(0) + v.GetElement(1) + v.GetElement(2) + v.GetElement(3);
}
