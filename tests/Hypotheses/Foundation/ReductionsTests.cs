using Experiments.Diagnostics;
using FluentAssertions;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Hypotheses.Foundation;

/// <summary>
/// The tracker's in-place sums against plain loops in float64, its comparisons against libtorch's own (the expressions
/// the metrics used to run), and its summation order against a scalar re-enactment, bit for bit: what makes a record's
/// metrics the same on every CPU.
/// </summary>
[TestFixture, Category("Foundation")]
public class ReductionsTests
{
    // Lengths around the vector width (8 float32), the run of 256 and a tail, and a first layer's 784 × 128 weights.
    static readonly int[] Lengths = [0, 1, 7, 8, 17, 255, 256, 257, 1000, 4099, 100352];

    // float32 data are summed in float32 within runs (16 terms a lane), then in float64: at most 16 roundings of 2⁻²⁴ on
    // sums of non-negative terms, a relative error below 1e-6. float64 data: round-off of about 1e-16 per term.
    static double Tolerance(ScalarType dtype) => dtype == float32 ? 1e-6 : 1e-13;

    [Test]
    public void Sums_equal_a_float64_loop([Values(ScalarType.Float32, ScalarType.Float64)] ScalarType dtype, [ValueSource(nameof(Lengths))] int length)
    {
        using var x = Data(length, dtype, seed: length);
        var values = x.to(float64).data<double>().ToArray();

        var (squares, magnitudes) = Reductions.Sums(Block.Whole(x));

        squares.Should().BeApproximately(values.Sum(v => v * v), Tolerance(dtype) * values.Sum(v => v * v));
        magnitudes.Should().BeApproximately(values.Sum(Math.Abs), Tolerance(dtype) * values.Sum(Math.Abs));
    }

    [Test(Description = "The order of a sum is the documented one, whatever the CPU's vector unit: a scalar re-enactment agrees to the bit")]
    public void Sums_of_float32_follow_the_documented_order([ValueSource(nameof(Lengths))] int length)
    {
        using var x = Data(length, float32, seed: 7 + length);
        var values = x.data<float>().ToArray();

        Reductions.Sums(Block.Whole(x)).Squares.Should().Be(InDocumentedOrder(values));
    }

    [Test]
    public void A_segment_of_a_buffer_sums_only_its_elements()
    {
        using var x = Data(1000, float32, seed: 3);
        var values = x.to(float64).data<double>().ToArray();

        Reductions.Sums(new Block(x, 100, 300)).Squares.Should().BeApproximately(values.Skip(100).Take(300).Sum(v => v * v), 1e-6 * 300);
    }

    [Test]
    public void A_non_finite_element_makes_the_sums_non_finite()
    {
        using var x = Data(1000, float32, seed: 4);
        x[500] = tensor(float.NaN);
        Reductions.Sums(Block.Whole(x)).Squares.Should().Be(double.NaN);
        x[500] = tensor(float.PositiveInfinity);
        Reductions.Sums(Block.Whole(x)).Magnitudes.Should().Be(double.PositiveInfinity);
    }

    [Test]
    public void Copy_with_squares_copies_and_sums([Values(ScalarType.Float32, ScalarType.Float64)] ScalarType dtype, [Values(3, 256, 4099)] int length)
    {
        using var source = Data(length, dtype, seed: 11);
        using var destination = zeros(length, dtype);

        double squares = Reductions.CopyWithSquares(Block.Whole(source), Block.Whole(destination));

        destination.eq(source).all().item<bool>().Should().BeTrue();
        squares.Should().BeApproximately(Reductions.Sums(Block.Whole(source)).Squares, 1e-12 * squares);
    }

    [Test]
    public void Squared_distance_then_copy_measures_the_change_and_leaves_the_new_values([Values(ScalarType.Float32, ScalarType.Float64)] ScalarType dtype,
        [Values(3, 256, 4099)] int length)
    {
        using var after = Data(length, dtype, seed: 12);
        using var before = Data(length, dtype, seed: 13);
        using var expected = (after.to(float64) - before.to(float64)).square().sum();

        var (distance, squares) = Reductions.SquaredDistanceThenCopy(Block.Whole(after), Block.Whole(before));

        distance.Should().BeApproximately(expected.item<double>(), Tolerance(dtype) * expected.item<double>());
        squares.Should().BeApproximately(Reductions.Sums(Block.Whole(after)).Squares, 1e-12 * squares);
        before.eq(after).all().item<bool>().Should().BeTrue("the new values are copied over the old");
    }

    [Test(Description = "Saturation is counted as libtorch compares: in the data's precision, at the edges of the band and with NaN")]
    public void Counting_outside_a_band_agrees_with_libtorch([Values(ScalarType.Float32, ScalarType.Float64)] ScalarType dtype)
    {
        // Values at and one float32 step around 0.01 and 0.99, NaN, and a tail beyond the vector width.
        float[] edges = [0.01f, 0.99f, MathF.BitIncrement(0.99f), MathF.BitDecrement(0.99f), MathF.BitIncrement(0.01f), MathF.BitDecrement(0.01f), float.NaN];
        using var y = cat(new[] { rand(1003, generator: new Generator(5, CPU)), tensor(edges) }).to(dtype);
        using var center = tensor(0.5, dtype); // tensors, not temporary Scalars: other fixtures train alongside
        using var margin = tensor(0.49, dtype);
        using var oracle = y.sub(center).abs().gt(margin).sum();

        Reductions.CountFartherThan(Block.Whole(y), 0.5, 0.49).Should().Be(oracle.item<long>());
    }

    [TestCase(128)]
    [TestCase(13)]
    public void Counting_dead_columns_agrees_with_libtorch(int columns)
    {
        using var generator = new Generator(6, CPU);
        using var shift = tensor(1.5f);
        using var y = randn(64, columns, generator: generator).sub_(shift).relu_(); // many columns all zero
        y[3, 2] = tensor(float.NaN); // NaN ≤ 0 is false: that column is not dead
        using var oracle = y.le(0).all(0).sum();

        Reductions.CountColumnsAtOrBelowZero(Block.Whole(y), columns).Should().Be(oracle.item<long>());
        oracle.item<long>().Should().BeGreaterThan(0, "the case has dead columns to count");
    }

    static Tensor Data(int length, ScalarType dtype, int seed) => randn(length, float64, generator: new Generator((ulong)seed, CPU)).to(dtype);

    /// <summary>Σx² as <see cref="Reductions"/> documents it, one lane at a time: runs of 256 summed in float32 in 2 × 8 lanes
    /// (alternate vectors of eight), each run's two lane sets added, widened and folded into 4 float64 lanes (lane k and
    /// k + 4), those added first to last, then the tail in float64.</summary>
    static double InDocumentedOrder(float[] x)
    {
        var wide = new double[4];
        int i = 0;
        for (; i + 256 <= x.Length; i += 256)
        {
            var lanes = new float[2, 8];
            for (int j = 0; j < 256; j++) lanes[j / 8 % 2, j % 8] += x[i + j] * x[i + j];
            var run = Enumerable.Range(0, 8).Select(k => lanes[0, k] + lanes[1, k]).ToArray();
            for (int k = 0; k < 4; k++) wide[k] += (double)run[k] + run[k + 4];
        }
        double sum = wide[0] + wide[1] + wide[2] + wide[3];
        for (; i < x.Length; i++) sum += (double)x[i] * x[i];
        return sum;
    }
}
