using Experiments.Cli;
using Experiments.Records;
using FluentAssertions;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>Shards of a sweep: a partition whatever the count, balanced by cost, and chosen from a job array's variables.</summary>
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

    [TestCase(null, "SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_MIN=1", 2, 4)]
    [TestCase(null, "SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_COUNT=2", 0, 2)]
    [TestCase(null, "JOB_COMPLETION_INDEX=4 JOB_COMPLETIONS=5", 4, 5)]
    [TestCase("1/3", "JOB_COMPLETION_INDEX=4 JOB_COMPLETIONS=5", 1, 3)] // the option wins
    public void The_shard_comes_from_the_option_or_a_job_arrays_variables(string? option, string variables, int index, int count)
    {
        var environment = variables.Split(' ').Select(v => v.Split('=')).ToDictionary(p => p[0], p => p[1]);
        Shard.From(option, name => environment.GetValueOrDefault(name)).Should().Be(new Shard(index, count));
    }

    [TestCase("3/3", "", "--shard 3/3: expected i/n with 0 ≤ i < n")]
    [TestCase("a/b", "", "--shard a/b: expected i/n")]
    [TestCase(null, "JOB_COMPLETION_INDEX=1", "JOB_COMPLETION_INDEX is set but JOB_COMPLETIONS is not")]
    [TestCase(null, "SLURM_ARRAY_TASK_ID=9 SLURM_ARRAY_TASK_COUNT=4", "SLURM_ARRAY_TASK_ID=9, SLURM_ARRAY_TASK_COUNT=4: expected an index from 0 to 3")]
    public void A_bad_shard_is_named(string? option, string variables, string expected)
    {
        var environment = variables.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Split('=')).ToDictionary(p => p[0], p => p[1]);
        var choose = () => Shard.From(option, name => environment.GetValueOrDefault(name));
        choose.Should().Throw<SpecException>().WithMessage(expected + "*");
    }

    [Test]
    public void No_option_and_no_job_array_means_the_whole_sweep() => Shard.From(null, _ => null).Should().BeNull();
}
