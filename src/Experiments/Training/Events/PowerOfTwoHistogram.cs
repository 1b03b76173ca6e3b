using System.Runtime.InteropServices;
using Tensorboard;
using static TorchSharp.torch;

namespace Experiments.Training.Events;

/// <summary>
/// A TensorBoard histogram of a tensor's values with buckets between successive powers of two (|x| in [2^e, 2^(e+1)),
/// each sign apart, and one for zero), found from each value's binary exponent: no logarithm, no sort. Runs of empty
/// buckets are merged into one, as TensorFlow's own histograms are, so only the range the values span is written.
/// Sum and sum of squares are float64, in memory order.
/// </summary>
public static class PowerOfTwoHistogram
{
    const int MinExponent = -1023, MaxExponent = 1023; // float64's (subnormals join the lowest bucket)
    const int Exponents = MaxExponent - MinExponent + 1;
    const int Zero = Exponents; // negative exponents below, positive above, largest magnitudes outermost

    /// <summary>The histogram, or null where a value is not finite (TensorBoard refuses those: the step's scalars show them).</summary>
    public static HistogramProto? Of(Tensor values)
    {
        var tally = new Tally(new long[2 * Exponents + 1]);
        bool finite = values.dtype == ScalarType.Float32
            ? tally.AddAll(MemoryMarshal.Cast<byte, float>(values.bytes))
            : tally.AddAll(MemoryMarshal.Cast<byte, double>(values.bytes));
        if (!finite || values.numel() == 0) return null;
        var histogram = new HistogramProto { Min = tally.Min, Max = tally.Max, Num = values.numel(), Sum = tally.Sum, SumSquares = tally.Squares };
        var counts = tally.Counts;
        for (int i = 0; i < counts.Length;)
        {
            double limit = RightEdge(i);
            long count = counts[i++];
            if (count == 0)
                while (i < counts.Length && counts[i] == 0) limit = RightEdge(i++);
            histogram.BucketLimit.Add(limit);
            histogram.Bucket.Add(count);
        }
        return histogram;
    }

    sealed class Tally(long[] counts)
    {
        public long[] Counts => counts;
        public double Min = double.PositiveInfinity, Max = double.NegativeInfinity, Sum, Squares;

        public bool AddAll(ReadOnlySpan<float> values)
        {
            foreach (float x in values)
                if (!Add(x)) return false;
            return true;
        }

        public bool AddAll(ReadOnlySpan<double> values)
        {
            foreach (double x in values)
                if (!Add(x)) return false;
            return true;
        }

        bool Add(double x)
        {
            if (!double.IsFinite(x)) return false;
            counts[Bucket(x)]++;
            Min = Math.Min(Min, x);
            Max = Math.Max(Max, x);
            Sum += x;
            Squares += x * x;
            return true;
        }
    }

    /// <summary>The bucket of a finite value: its binary exponent, read from its bits, and its sign.</summary>
    public static int Bucket(double x)
    {
        if (x == 0) return Zero;
        int exponent = Math.Max(MinExponent, (int)((BitConverter.DoubleToInt64Bits(x) >> 52) & 0x7ff) - 1023);
        return x > 0 ? Zero + 1 + (exponent - MinExponent) : Zero - 1 - (exponent - MinExponent);
    }

    /// <summary>A bucket's right edge: −2^e for negatives (they hold [−2^(e+1), −2^e)), 0 for zero, 2^(e+1) for positives.</summary>
    public static double RightEdge(int bucket) => bucket switch
    {
        Zero => 0,
        < Zero => -Math.ScaleB(1, MinExponent + (Zero - 1 - bucket)),
        _ => Math.Min(double.MaxValue, Math.ScaleB(1, MinExponent + (bucket - Zero - 1) + 1)),
    };
}
