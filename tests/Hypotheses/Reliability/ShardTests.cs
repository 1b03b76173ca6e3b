using Experiments.Cli;
using Experiments.Records;
using FluentAssertions;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>Shards of a sweep: a partition whatever the count, balanced by cost (which shard a task trains: <see cref="ShardIndexTests"/>).</summary>
[TestFixture, Category("Reliability")]
public class ShardTests
{
    static readonly IReadOnlyList<ExperimentSpec> Grid =
        (from depth in new[] { 2, 5, 10, 20, 50 } from width in new[] { 32, 128, 256 } from seed in new[] { 1, 2, 3, 4 }
         select new ExperimentSpec { Depth = depth, Width = width, Seed = seed }).ToList();

    [Test]
    public void Every_spec_lands_in_exactly_one_shard_for_any_count()
    {
        for (int count = 1; count <= 70; count++)
        {
            var shards = Enumerable.Range(0, count).Select(i => new Shard(i, count).Select(Grid)).ToList();
            shards.SelectMany(s => s).Select(s => s.Id).Should().BeEquivalentTo(Grid.Select(s => s.Id), $"{count} shards partition the grid");
            // Largest first to the least loaded: no shard exceeds another by more than the costliest spec.
            var loads = shards.Select(s => s.Sum(Shard.Cost)).ToList();
            (loads.Max() - loads.Min()).Should().BeLessThanOrEqualTo(Grid.Max(Shard.Cost), $"{count} shards are balanced");
        }
    }

    [Test]
    public void A_shard_keeps_the_sweep_order()
    {
        var positions = new Shard(1, 3).Select(Grid).Select(s => Grid.ToList().IndexOf(s)).ToList();
        positions.Should().BeInAscendingOrder().And.HaveCountGreaterThan(1);
    }

    [Test(Description = "Each shard gets the specs the plain rule gives it (a load per shard, the least loaded's lowest index), so " +
                        "a job array started before the queue was used resumes the same specs")]
    public void Shards_are_the_plain_rule_s([Values(1, 2, 3, 7, 59, 60, 61, 100)] int count)
    {
        for (int index = 0; index < count; index++)
            new Shard(index, count).Select(Grid).Select(s => s.Id).Should().Equal(PlainRule(index, count), $"shard {index}/{count}");
    }

    [Test(Description = "--shard i/100000000 allocates nothing the size of the count (before: 800 MB of loads, and a scan of them per spec)")]
    public void A_huge_shard_count_costs_no_more_than_the_specs()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var first = new Shard(0, 100_000_000).Select(Grid);
        var last = new Shard(99_999_999, 100_000_000).Select(Grid);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1_000_000);
        first.Should().ContainSingle().Which.Should().Be(Grid.OrderByDescending(Shard.Cost).ThenBy(s => s.Id, StringComparer.Ordinal).First(), "the costliest spec goes to shard 0");
        last.Should().BeEmpty();
    }

    /// <summary>The rule as first written: an array of loads, scanned for its least for each spec.</summary>
    static IEnumerable<string> PlainRule(int index, int count)
    {
        var load = new double[count];
        var mine = new HashSet<string>();
        foreach (var spec in Grid.OrderByDescending(Shard.Cost).ThenBy(s => s.Id, StringComparer.Ordinal))
        {
            int least = Array.IndexOf(load, load.Min());
            load[least] += Shard.Cost(spec);
            if (least == index) mine.Add(spec.Id);
        }
        return Grid.Where(s => mine.Contains(s.Id)).Select(s => s.Id);
    }
}
