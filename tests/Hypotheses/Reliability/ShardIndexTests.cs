using System.Text.RegularExpressions;
using Experiments.Cli;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>
/// Which shard a job array's task trains: the index from the array (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX) or
/// --shard i/n, the count from --shards only, never from the array's size. So a stepped array, a subset and one
/// re-submitted index train the shards the full array would, and an index past the count is refused.
/// </summary>
[TestFixture, Category("Reliability")]
public class ShardIndexTests
{
    /// <summary>The variables Slurm sets in the task <paramref name="id"/> of an array of <paramref name="indices"/>.</summary>
    static Dictionary<string, string> SlurmTask(int[] indices, int id) => new()
    {
        ["SLURM_ARRAY_JOB_ID"] = "41", ["SLURM_ARRAY_TASK_ID"] = $"{id}", ["SLURM_ARRAY_TASK_COUNT"] = $"{indices.Length}",
        ["SLURM_ARRAY_TASK_MIN"] = $"{indices.Min()}", ["SLURM_ARRAY_TASK_MAX"] = $"{indices.Max()}",
        ["SLURM_ARRAY_TASK_STEP"] = $"{(indices.Length > 1 ? indices[1] - indices[0] : 1)}",
    };

    static Shard? From(string? option, int? shards, IReadOnlyDictionary<string, string> environment) =>
        Shard.From(option, shards, name => environment.GetValueOrDefault(name));

    [TestCase(new[] { 0, 1, 2, 3, 4, 5, 6 }, TestName = "the full array 0-6")]
    [TestCase(new[] { 0, 2, 4, 6 }, TestName = "a stepped array 0-6:2")]
    [TestCase(new[] { 1, 3, 5 }, TestName = "its complement 1-5:2")]
    [TestCase(new[] { 3 }, TestName = "one re-submitted index 3")]
    [TestCase(new[] { 2, 5 }, TestName = "a subset 2,5")]
    public void Every_task_trains_the_shard_its_index_names_of_the_count_given(int[] indices)
    {
        foreach (int id in indices) From(null, 7, SlurmTask(indices, id)).Should().Be(new Shard(id, 7), $"task {id} of [{string.Join(",", indices)}]");
    }

    [Test]
    public void A_kubernetes_index_takes_its_count_from_the_option_not_from_the_job()
    {
        From(null, 4, new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "2", ["JOB_COMPLETIONS"] = "1" }).Should().Be(new Shard(2, 4));
    }

    [TestCase("1/3", null)]
    [TestCase("1/3", 3)]
    public void The_option_wins_over_the_arrays_index(string option, int? shards) =>
        From(option, shards, SlurmTask([0, 1, 2, 3], 2)).Should().Be(new Shard(1, 3));

    [Test]
    public void No_option_and_no_job_array_means_the_whole_sweep() => From(null, null, new Dictionary<string, string>()).Should().BeNull();

    [TestCase(null, 4, "SLURM_ARRAY_TASK_ID=4", "SLURM_ARRAY_TASK_ID=4: expected an index from 0 to 3 (--shards 4)")]
    [TestCase(null, 4, "JOB_COMPLETION_INDEX=9", "JOB_COMPLETION_INDEX=9: expected an index from 0 to 3 (--shards 4)")]
    [TestCase(null, 4, "SLURM_ARRAY_TASK_ID=-1", "SLURM_ARRAY_TASK_ID=-1: expected a whole number")]
    [TestCase(null, null, "SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_COUNT=4", "SLURM_ARRAY_TASK_ID=2 is set but not the number of shards: expected --shards n")]
    [TestCase(null, 4, "", "--shards 4: no shard index; expected a job array's task")]
    [TestCase(null, 0, "SLURM_ARRAY_TASK_ID=0", "--shards 0: expected the number of shards, at least 1")]
    [TestCase("1/3", 4, "", "--shard 1/3 and --shards 4: expected one number of shards")]
    [TestCase("3/3", null, "", "--shard 3/3: expected i/n with 0 ≤ i < n")]
    [TestCase("a/b", null, "", "--shard a/b: expected i/n")]
    public void A_bad_shard_is_named(string? option, int? shards, string variables, string expected)
    {
        var environment = variables.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Split('=')).ToDictionary(p => p[0], p => p[1]);
        var choose = () => From(option, shards, environment);
        choose.Should().Throw<Experiments.Records.SpecException>().WithMessage(expected + "*");
    }

    // The command line, as an array task runs it: the specs it lists (--dry-run trains nothing) are those of --shard i/n.

    TempFolder temp = null!;
    string sweepFile = "";

    [SetUp]
    public void WriteSweepFile()
    {
        temp = new TempFolder("shard-index-");
        sweepFile = Path.Combine(temp.Path, "sweep.yaml");
        File.WriteAllText(sweepFile, "depth: [2, 3]\nactivation: [tanh, relu]\nseed: [1, 2]\nsamples: 200\nepochs: 1\n");
    }

    [TearDown] public void Delete() => temp.Dispose();

    [Test]
    public void A_stepped_array_its_complement_and_a_resubmitted_index_list_the_shards_of_the_full_array()
    {
        var shards = Enumerable.Range(0, 4).Select(i => Listed(DryRun(new Dictionary<string, string>(), "--shard", $"{i}/4"))).ToList();
        shards.SelectMany(s => s).Should().OnlyHaveUniqueItems().And.HaveCount(8, "four shards partition the eight specs");
        foreach (var indices in new[] { new[] { 0, 2 }, [1, 3], [3] })
            foreach (int id in indices)
                Listed(DryRun(SlurmTask(indices, id), "--shards", "4")).Should().Equal(shards[id], $"task {id} of [{string.Join(",", indices)}]");
    }

    [Test]
    public void An_index_past_the_count_is_refused_and_nothing_is_written()
    {
        string output = Path.Combine(temp.Path, "out");
        var (exitCode, _, error) = Run(SlurmTask([0, 2, 4, 6], 4), "sweep", sweepFile, "--shards", "4", "--out", output);
        exitCode.Should().Be(2, error);
        error.Should().Contain("SLURM_ARRAY_TASK_ID=4: expected an index from 0 to 3 (--shards 4)");
        Directory.Exists(output).Should().BeFalse("a refused shard writes nothing");
    }

    [Test]
    public void An_array_task_without_the_count_is_refused()
    {
        var (exitCode, _, error) = Run(SlurmTask([3], 3), "sweep", sweepFile, "--dry-run");
        exitCode.Should().Be(2, error);
        error.Should().Contain("SLURM_ARRAY_TASK_ID=3 is set but not the number of shards: expected --shards n");
    }

    string DryRun(Dictionary<string, string> environment, params string[] options)
    {
        var (exitCode, stdout, error) = Run(environment, ["sweep", sweepFile, "--out", Path.Combine(temp.Path, "out"), "--dry-run", .. options]);
        exitCode.Should().Be(0, error);
        return stdout;
    }

    static List<string> Listed(string dryRun) => Regex.Matches(dryRun, @"spec ([0-9a-f]+)").Select(m => m.Groups[1].Value).ToList();

    static (int ExitCode, string Out, string Error) Run(Dictionary<string, string> environment, params string[] args)
    {
        using var cli = new CliProcess(environment, args);
        return cli.WaitForExit(TimeSpan.FromMinutes(2));
    }
}
