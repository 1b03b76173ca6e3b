using System.Numerics;
using System.Runtime.CompilerServices;
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
/// together; an optimizer's update, the change of the weights and their norm before it together).
/// <para>Every sum runs in a fixed order, in <see cref="Vector256{T}"/> lanes: that order is the same with AVX-512, AVX2 or
/// no vector unit at all (.NET computes Vector256 in software there), so a sum does not depend on the CPU. The elements
/// are taken in runs of 256, a vector (eight float32 or four float64) at a time, alternating between two sets of lanes,
/// and summed in the data's precision (16 terms a float32 lane); at the end of a run the two sets are added and widened
/// into four float64 lanes (float32: lane k plus lane k + 4), which add up the runs. Then the four lanes are added first to
/// last, then the runs summed apart (below), then the tail after the last whole run, element by element in float64.
/// Squares, magnitudes and differences are taken in the data's precision, except that a float32 run whose largest
/// magnitude is above 0 and below 2⁻⁶⁰ has its squares summed in float64 (each vector widened, lanes k and k + 4 apart,
/// then added, and the runs summed so added to the total after the lanes): in float32 they would vanish below its
/// smallest number, and deep vanishing gradients get there.</para>
/// Comparisons (the health metrics) are made in the data's own precision, as libtorch makes them.
/// </summary>
public static class Reductions
{
    /// <summary>Σx² and Σ|x| of a block, in one pass.</summary>
    public static (double Squares, double Magnitudes) Sums(Block block) =>
        block.IsDouble ? Sums<double>(block.Span<double>()) : Sums<float>(block.Span<float>());

    /// <summary>How many elements lie farther than <paramref name="margin"/> from <paramref name="center"/>: |x − c| &gt; m,
    /// in the data's precision (NaN is not counted).</summary>
    public static long CountFartherThan(Block block, double center, double margin) => block.IsDouble
        ? CountFartherThan(block.Span<double>(), center, margin)
        : CountFartherThan(block.Span<float>(), (float)center, (float)margin);

    /// <summary>Of a [rows, columns] block (row-major), how many columns are at or below 0 in every row (NaN is not).</summary>
    public static long CountColumnsAtOrBelowZero(Block block, int columns) => block.IsDouble
        ? CountColumnsAtOrBelowZero(block.Span<double>(), columns)
        : CountColumnsAtOrBelowZero(block.Span<float>(), columns);

    /// <summary>Elements summed in the data's precision before their sums join the float64 ones: 16 terms per float32 lane
    /// (a term meets at most 19 roundings of 2⁻²⁴, a relative error below 1.2e-6), so the inner loop keeps up with memory.</summary>
    internal const int Run = 256;

    static (double, double) Sums<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T start = ref MemoryMarshal.GetReference(x);
        int i = 0, width = Vector256<T>.Count;
        var squares = new SquareSum();
        Vector256<double> magnitudes = default;
        // Two runs at a time: a run's sums are its own until they join the float64 lanes, in run order, so taking two
        // together changes no bit and gives the processor two chains of additions to overlap instead of one.
        for (; i <= x.Length - 2 * Run; i += 2 * Run)
        {
            var (first, second) = (new RunSquares<T>(), new RunSquares<T>());
            Vector256<T> firstMagnitudes0 = default, firstMagnitudes1 = default, secondMagnitudes0 = default, secondMagnitudes1 = default;
            for (int j = i; j < i + Run; j += 2 * width)
            {
                var v0 = Vector256.Abs(Vector256.LoadUnsafe(ref start, (nuint)j));
                var v1 = Vector256.Abs(Vector256.LoadUnsafe(ref start, (nuint)(j + width)));
                var w0 = Vector256.Abs(Vector256.LoadUnsafe(ref start, (nuint)(j + Run)));
                var w1 = Vector256.Abs(Vector256.LoadUnsafe(ref start, (nuint)(j + Run + width)));
                first.Add(v0, v1);
                second.Add(w0, w1);
                firstMagnitudes0 += v0;
                firstMagnitudes1 += v1;
                secondMagnitudes0 += w0;
                secondMagnitudes1 += w1;
            }
            // Both runs' results are taken before a tiny run's call: a vector live across a call stays in memory, and
            // the JIT would then store the loop's accumulators at every step.
            var (firstSquares, secondSquares) = (first.Result, second.Result);
            magnitudes += Wide(firstMagnitudes0 + firstMagnitudes1);
            magnitudes += Wide(secondMagnitudes0 + secondMagnitudes1);
            squares.Add(firstSquares, x.Slice(i, Run));
            squares.Add(secondSquares, x.Slice(i + Run, Run));
        }
        if (i <= x.Length - Run)
        {
            var run = new RunSquares<T>();
            Vector256<T> magnitudes0 = default, magnitudes1 = default;
            for (int end = i + Run; i < end; i += 2 * width)
            {
                var v0 = Vector256.Abs(Vector256.LoadUnsafe(ref start, (nuint)i));
                var v1 = Vector256.Abs(Vector256.LoadUnsafe(ref start, (nuint)(i + width)));
                run.Add(v0, v1);
                magnitudes0 += v0;
                magnitudes1 += v1;
            }
            magnitudes += Wide(magnitudes0 + magnitudes1);
            squares.Add(run.Result, x.Slice(i - Run, Run));
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

    static long CountFartherThan<T>(ReadOnlySpan<T> x, T center, T margin) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T start = ref MemoryMarshal.GetReference(x);
        Vector256<T> c = Vector256.Create(center), m = Vector256.Create(margin);
        // A lane that compares true is all ones: −1 in each of its 32-bit halves (two for float64), subtracted from counts.
        Vector256<int> counts = default;
        int i = 0, width = Vector256<T>.Count;
        for (; i <= x.Length - width; i += width)
            counts -= Vector256.GreaterThan(Vector256.Abs(Vector256.LoadUnsafe(ref start, (nuint)i) - c), m).AsInt32();
        long count = 0;
        for (int lane = 0; lane < Vector256<int>.Count; lane++) count += counts.GetElement(lane);
        count /= Vector256<int>.Count / width;
        for (; i < x.Length; i++)
            if (T.Abs(x[i] - center) > margin) count++;
        return count;
    }

    static long CountColumnsAtOrBelowZero<T>(ReadOnlySpan<T> x, int columns) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (columns <= 0 || x.Length % columns != 0) throw new ArgumentException($"{x.Length} elements are not rows of {columns}", nameof(columns));
        ref T start = ref MemoryMarshal.GetReference(x);
        int rows = x.Length / columns, width = Vector256<T>.Count, groups = columns / width, tail = columns - groups * width;
        // Row by row, in memory order (a stream the processor prefetches), each column's "≤ 0 so far" kept in a mask.
        Span<Vector256<T>> inactive = groups <= 256 ? stackalloc Vector256<T>[groups] : new Vector256<T>[groups];
        Span<bool> tailInactive = stackalloc bool[tail];
        inactive.Fill(Vector256<T>.AllBitsSet);
        tailInactive.Fill(true);
        for (int r = 0, row = 0; r < rows; r++, row += columns)
        {
            for (int g = 0; g < groups; g++)
                inactive[g] &= Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref start, (nuint)(row + g * width)), Vector256<T>.Zero);
            for (int t = 0; t < tail; t++) tailInactive[t] &= x[row + groups * width + t] <= T.Zero;
        }
        long count = 0;
        foreach (var mask in inactive) count += BitOperations.PopCount(mask.ExtractMostSignificantBits());
        foreach (bool dead in tailInactive) if (dead) count++;
        return count;
    }

    /// <summary>Σx² of one run in the data's precision, in two sets of lanes, and for float32 the run's largest magnitude.</summary>
    internal struct RunSquares<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<T> sum0, sum1;
        Vector256<uint> largest; // of |x| as bits: for non-negative floats the integer order is the numeric one, NaN above all

        /// <summary>Adds two vectors of magnitudes |x| (a square is the same of x and |x|; the largest needs |x|).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(Vector256<T> magnitudes0, Vector256<T> magnitudes1)
        {
            sum0 += magnitudes0 * magnitudes0;
            sum1 += magnitudes1 * magnitudes1;
            if (typeof(T) == typeof(float))
                largest = Vector256.Max(largest, Vector256.Max(magnitudes0.AsUInt32(), magnitudes1.AsUInt32()));
        }

        /// <summary>What the run adds to a <see cref="SquareSum"/>.</summary>
        public readonly (bool Tiny, Vector256<double> Total) Result => (Tiny, Total);

        /// <summary>Whether float32 squares may have lost this run to underflow: its largest magnitude is above 0 and below
        /// 2⁻⁶⁰ (a square below 2⁻¹²⁰, six bits above float32's smallest normal number). A run of zeros sums to 0 either way.</summary>
        public readonly bool Tiny => typeof(T) == typeof(float) && Vector256.LessThanAll(largest, Vector256.Create(TinyMagnitudeBits))
                                     && !Vector256.EqualsAll(largest, Vector256<uint>.Zero);

        public readonly Vector256<double> Total => Wide(sum0 + sum1);
    }

    /// <summary>Σx² over runs: each run's lanes added into four float64 lanes, or a tiny run summed apart in float64; the
    /// lanes first to last, then the tiny runs.</summary>
    internal struct SquareSum
    {
        Vector256<double> lanes;
        double tinyRuns;

        /// <param name="values">The run's own values: a tiny one is summed again from them in float64.</param>
        public void Add<T>((bool Tiny, Vector256<double> Total) run, ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (run.Tiny) tinyRuns += SquaresWidened(MemoryMarshal.Cast<T, float>(values));
            else lanes += run.Total;
        }

        public readonly double Total => Lanes(lanes) + tinyRuns;
    }

    static readonly uint TinyMagnitudeBits = BitConverter.SingleToUInt32Bits(MathF.ScaleB(1, -60));

    /// <summary>Σx² of a float32 run in float64: each vector widened, its lanes k and k + 4 summed apart, then added.</summary>
    static double SquaresWidened(ReadOnlySpan<float> run)
    {
        Vector256<double> low = default, high = default;
        for (int i = 0; i < run.Length; i += Vector256<float>.Count)
        {
            var (l, h) = Vector256.Widen(Vector256.Create(run.Slice(i, Vector256<float>.Count)));
            low += l * l;
            high += h * h;
        }
        return Lanes(low + high);
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
