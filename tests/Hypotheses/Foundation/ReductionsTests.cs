using System.Numerics;
using System.Runtime.Intrinsics;
using Experiments.Diagnostics;
using Experiments.Training.Optimizers;
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

    // Relative, for sums of non-negative terms: float64 data round by 2⁻⁵³ per addition, at most ~25,000 a lane here,
    // below 1e-11. float32 data are summed in float32 within runs: a term meets at most 19 roundings of 2⁻²⁴ (a difference,
    // its square, 16 additions in its lane, the add of two lanes) before float64 takes over, 1.13e-6.
    const double Float64Tolerance = 1e-11;
    static double Tolerance(ScalarType dtype) => dtype == float32 ? 19 * Math.Pow(2, -24) + Float64Tolerance : Float64Tolerance;

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
    public void Sums_follow_the_documented_order([Values(ScalarType.Float32, ScalarType.Float64)] ScalarType dtype, [ValueSource(nameof(Lengths))] int length,
        [Values(1.0, 1e-21)] double scale) // 1e-21: float32 runs too small to square in float32
    {
        using var unscaled = Data(length, float64, seed: 7 + length);
        using var x = unscaled.mul(tensor(scale)).to(dtype);

        var sums = Reductions.Sums(Block.Whole(x));

        sums.Should().Be(dtype == float32 ? InDocumentedOrder(x.data<float>().ToArray()) : InDocumentedOrder(x.data<double>().ToArray()));
    }

    [Test(Description = "The vector unit .NET uses is the one the environment asks for: CI's alternate passes run the sums in software (DOTNET_EnableAVX2=0) and without AVX-512 (DOTNET_EnableAVX512=0)")]
    public void The_vector_unit_is_the_one_the_environment_asks_for()
    {
        static bool Off(string knob) => Environment.GetEnvironmentVariable(knob) == "0";
        // CPUID leaf 7, EBX: bit 5 is AVX2, bit 16 AVX-512F; asked of the processor itself, whatever .NET is told.
        var features = System.Runtime.Intrinsics.X86.X86Base.IsSupported ? System.Runtime.Intrinsics.X86.X86Base.CpuId(7, 0).Ebx : 0;
        bool cpuHasAvx2 = (features & (1 << 5)) != 0, cpuHasAvx512 = (features & (1 << 16)) != 0;
        TestContext.Out.WriteLine($"CPU: AVX2 {cpuHasAvx2}, AVX-512F {cpuHasAvx512}; .NET: Vector256 {Vector256.IsHardwareAccelerated}, " +
                                  $"Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}");

        Vector256.IsHardwareAccelerated.Should().Be(cpuHasAvx2 && !Off("DOTNET_EnableAVX2") && !Off("DOTNET_EnableHWIntrinsic"));
        if (Off("DOTNET_EnableAVX512") || !cpuHasAvx512) System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated.Should().BeFalse();
    }

    [Test(Description = "float32 gradients of 1e-25 (deep vanishing ones) square to 1e-50: summed in float64, not lost to float32 underflow")]
    public void Squares_of_tiny_float32_values_do_not_vanish()
    {
        using var x = full(1000, 1e-25f);
        double expected = 1000 * Math.Pow((double)1e-25f, 2);
        Reductions.Sums(Block.Whole(x)).Squares.Should().BeApproximately(expected, Float64Tolerance * expected);
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

    [Test(Description = "An update measured in its pass leaves what the rule computes, and sums its change and the old values in the documented order, to the bit")]
    public void A_measured_update_sums_its_change_and_the_old_values_in_the_documented_order(
        [Values(ScalarType.Float32, ScalarType.Float64)] ScalarType dtype, [ValueSource(nameof(Lengths))] int length, [Values(1.0, 1e-21)] double scale)
    {
        using var unscaled = Data(length, float64, seed: 21 + length);
        using var before = unscaled.mul(tensor(scale)).to(dtype);
        using var parameters = before.clone();
        using var expected = before * tensor(0.75, dtype) + tensor(scale / 8, dtype); // the rule below, in libtorch
        using var change = expected - before;

        var sums = dtype == float32 ? Measured<float>(parameters, scale / 8) : Measured<double>(parameters, scale / 8);

        parameters.eq(expected).all().item<bool>().Should().BeTrue("the update leaves what the rule computes");
        sums.Before.Should().Be(Reductions.Sums(Block.Whole(before)).Squares, "Σp² before the step, in the order Sums takes");
        sums.Change.Should().Be(Reductions.Sums(Block.Whole(change)).Squares, "Σ(Δp)² with Δp = new − old in the data's precision");
    }

    [Test(Description = "The plain update applies the rule to every element, the tail after the last vector too")]
    public void An_update_applies_its_rule_to_every_element([Values(ScalarType.Float32, ScalarType.Float64)] ScalarType dtype, [Values(3, 256, 4099)] int length)
    {
        using var before = Data(length, dtype, seed: 12);
        using var parameters = before.clone();
        using var expected = before * tensor(0.75, dtype) + tensor(1.0 / 8, dtype);

        if (dtype == float32) Update<float>(parameters, 1.0 / 8);
        else Update<double>(parameters, 1.0 / 8);

        parameters.eq(expected).all().item<bool>().Should().BeTrue();
    }

    [Test(Description = "A step of 1e-25 on weights of 1e-25 (SGD deep in a vanishing net) is measured, not lost to float32 underflow")]
    public void Tiny_changes_of_float32_values_are_measured()
    {
        using var parameters = full(1000, 3e-25f);
        var rule = new Shift<float>(0.75f, -1.5e-25f); // 3e-25 → 0.75 · 3e-25 − 1.5e-25 ≈ 0.75e-25
        var after = 0.75f * 3e-25f + -1.5e-25f;
        double step = (double)after - (double)3e-25f, expected = 1000 * step * step;

        var (change, squares) = ParameterPass.ApplyMeasured(Block.Whole(parameters).Span<float>(), ref rule);

        change.Should().BeApproximately(expected, 1e-6 * expected); // the difference itself is rounded to float32 (2⁻²⁴)
        squares.Should().BeApproximately(1000 * Math.Pow((double)3e-25f, 2), Float64Tolerance * 1000 * Math.Pow((double)3e-25f, 2));
    }

    static (double Change, double Before) Measured<T>(Tensor parameters, double shift) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rule = new Shift<T>(T.CreateTruncating(0.75), T.CreateTruncating(shift));
        return ParameterPass.ApplyMeasured(Block.Whole(parameters).Span<T>(), ref rule);
    }

    static void Update<T>(Tensor parameters, double shift) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rule = new Shift<T>(T.CreateTruncating(0.75), T.CreateTruncating(shift));
        ParameterPass.Apply(Block.Whole(parameters).Span<T>(), ref rule);
    }

    /// <summary>p ← p·a + b: an update rule with no state, whose result libtorch computes alike.</summary>
    readonly struct Shift<T>(T scale, T shift) : IElementUpdate<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Vector256<T> Next(int index, Vector256<T> current) => current * scale + Vector256.Create(shift);
        public T Next(int index, T current) => current * scale + shift;
    }

    [Test(Description = "Saturation is counted as libtorch compares: in the data's precision, at the edges of the band and with NaN")]
    public void Counting_outside_a_band_agrees_with_libtorch([Values(ScalarType.Float32, ScalarType.Float64)] ScalarType dtype)
    {
        // Values at and one float32 step around 0.01 and 0.99, NaN, and a tail beyond the vector width.
        // 0.00999998f: below 0.01, yet |y − 0.5| rounds to 0.49 in float32, so not counted (the band is the definition).
        float[] edges = [0.01f, 0.99f, MathF.BitIncrement(0.99f), MathF.BitDecrement(0.99f), MathF.BitIncrement(0.01f), MathF.BitDecrement(0.01f),
            0.00999998f, float.NaN];
        using var y = cat(new[] { rand(1003, generator: new Generator(5, CPU)), tensor(edges) }).to(dtype);
        using var center = tensor(0.5, dtype); // tensors, not temporary Scalars: other fixtures train alongside
        using var margin = tensor(0.49, dtype);
        using var oracle = y.sub(center).abs().gt(margin).sum();

        Reductions.CountFartherThan(Block.Whole(y), 0.5, 0.49).Should().Be(oracle.item<long>());
    }

    [TestCase(128)]
    [TestCase(13)] // one vector of columns and a tail
    [TestCase(4100)] // more column vectors than fit on the stack, and a tail
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

    /// <summary>Σx² and Σ|x| as <see cref="Reductions"/> documents them, one lane at a time.</summary>
    static (double Squares, double Magnitudes) InDocumentedOrder<T>(T[] x) where T : IFloatingPointIeee754<T>
    {
        int width = typeof(T) == typeof(float) ? 8 : 4; // elements in a Vector256
        var squareLanes = new double[4];
        var magnitudeLanes = new double[4];
        double tinyRuns = 0;
        int i = 0;
        for (; i + 256 <= x.Length; i += 256)
        {
            var (squares, magnitudes) = (new T[2, width], new T[2, width]);
            T largest = T.Zero;
            for (int j = 0; j < 256; j++)
            {
                int set = j / width % 2, lane = j % width;
                T magnitude = T.Abs(x[i + j]);
                squares[set, lane] += magnitude * magnitude;
                magnitudes[set, lane] += magnitude;
                largest = T.Max(largest, magnitude);
            }
            if (width == 8 && largest > T.Zero && double.CreateTruncating(largest) < Math.Pow(2, -60))
            {
                // A float32 run too small to square in float32: widened, lanes k and k + 4 apart, then added.
                var (low, high) = (new double[4], new double[4]);
                for (int j = 0; j < 256; j++)
                {
                    double wide = double.CreateTruncating(x[i + j]);
                    if (j % 8 < 4) low[j % 4] += wide * wide; else high[j % 4] += wide * wide;
                }
                tinyRuns += low[0] + high[0] + (low[1] + high[1]) + (low[2] + high[2]) + (low[3] + high[3]);
            }
            else Widen(squares, squareLanes, width);
            Widen(magnitudes, magnitudeLanes, width);
        }
        double squareTotal = squareLanes[0] + squareLanes[1] + squareLanes[2] + squareLanes[3] + tinyRuns;
        double magnitudeTotal = magnitudeLanes[0] + magnitudeLanes[1] + magnitudeLanes[2] + magnitudeLanes[3];
        for (; i < x.Length; i++)
        {
            double value = double.CreateTruncating(x[i]);
            squareTotal += value * value;
            magnitudeTotal += Math.Abs(value);
        }
        return (squareTotal, magnitudeTotal);
    }

    /// <summary>A run's two sets of lanes added in the data's precision, then widened into the four float64 lanes (float32:
    /// lane k plus lane k + 4).</summary>
    static void Widen<T>(T[,] sets, double[] lanes, int width) where T : IFloatingPointIeee754<T>
    {
        for (int k = 0; k < 4; k++)
            lanes[k] += width == 8
                ? double.CreateTruncating(sets[0, k] + sets[1, k]) + double.CreateTruncating(sets[0, k + 4] + sets[1, k + 4])
                : double.CreateTruncating(sets[0, k] + sets[1, k]);
    }
}
