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
}
