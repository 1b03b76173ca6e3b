using Experiments.Training.Events;
using FluentAssertions;
using NUnit.Framework;
using static TorchSharp.torch;
using Hypotheses.Support;

namespace Hypotheses.TensorBoard;

/// <summary>The event writer's parts against the test's own reader and definitions.</summary>
[TestFixture, Category("Reliability")]
public class EventWriterTests
{
    [Test(Description = "The writer's table-driven CRC-32C is the bit-by-bit definition's, on random data of every length up to 300")]
    public void Table_crc_matches_the_definition()
    {
        var random = new Random(5);
        for (int length = 0; length <= 300; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            Crc32C.Masked(data).Should().Be(EventFile.MaskedCrc(data), $"length {length}");
        }
    }

    [Test(Description = "Buckets lie between successive powers of two, each sign apart; runs of empty buckets merge; counts add up")]
    public void Histogram_buckets_are_powers_of_two()
    {
        using var values = tensor(new float[] { 1.0f, 1.5f, 0.75f, -3f, 0f, 0f, 1e-20f });
        var histogram = PowerOfTwoHistogram.Of(values)!;
        var buckets = histogram.BucketLimit.Zip(histogram.Bucket).Where(b => b.Second > 0).ToDictionary(b => b.First, b => b.Second);
        buckets.Should().Equal(new Dictionary<double, double>
        {
            [-2] = 1,                       // −3 in [−4, −2)
            [0] = 2,                        // the two zeros
            [Math.ScaleB(1, -66)] = 1,      // 1e-20 in [2^-67, 2^-66)
            [1] = 1,                        // 0.75 in [0.5, 1)
            [2] = 2,                        // 1 and 1.5 in [1, 2)
        });
        histogram.Bucket.Sum().Should().Be(histogram.Num).And.Be(7);
        histogram.BucketLimit.Should().BeInAscendingOrder();
        histogram.Bucket.Zip(histogram.Bucket.Skip(1)).Should().NotContain(p => p.First == 0 && p.Second == 0, "empty runs are merged");
        (histogram.Min, histogram.Max, histogram.Sum).Should().Be((-3.0, 1.5, 0.25 + (double)1e-20f));
    }

    [Test(Description = "A tensor with a non-finite value has no histogram")]
    public void Non_finite_values_give_no_histogram()
    {
        using var values = tensor(new[] { 1.0, double.NaN });
        PowerOfTwoHistogram.Of(values).Should().BeNull();
    }

    [Test(Description = "What the writer writes, the test's own reader reads back: file version first, then scalars with their steps")]
    public void Written_events_read_back()
    {
        using var temp = new TempFolder("events-");
        string path;
        using (var writer = new EventFileWriter(temp.Path))
        {
            writer.Scalar("a/b", 0.5f, 3);
            writer.Scalar("a/b", -2f, 4);
            path = writer.Path;
        }
        var events = EventFile.Read(path);
        events[0].FileVersion.Should().Be("brain.Event:2");
        events.Skip(1).Select(e => (e.Step, e.Summary!.Value.Single().Tag, e.Summary.Value.Single().SimpleValue))
            .Should().Equal((3L, "a/b", 0.5f), (4L, "a/b", -2f));
    }
}
