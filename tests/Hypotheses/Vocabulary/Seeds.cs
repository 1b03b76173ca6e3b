using Experiments.Records;
using Experiments.Training;
using Experiments.Workers;
using Hypotheses.Support;

namespace Hypotheses.Vocabulary;

/// <summary>
/// Which seeds every hypothesis runs: 1..N, N = 3 unless the environment variable HYPOTHESIS_SEEDS or the
/// test run parameter "seeds" (a .runsettings TestRunParameters entry) says more.
/// </summary>
public static class Seeds
{
    public const int Default = 3;

    public static IReadOnlyList<int> All { get; } = Enumerable.Range(1, Count()).ToList();

    static int Count()
    {
        string? text = Environment.GetEnvironmentVariable("HYPOTHESIS_SEEDS")
                       ?? NUnit.Framework.TestContext.Parameters.Get("seeds");
        if (text is null) return Default;
        return int.TryParse(text, out int n) && n >= 1
            ? n
            : throw new ArgumentException($"HYPOTHESIS_SEEDS={text}: expected a whole number of seeds, at least 1");
    }

    /// <summary>The records of <paramref name="spec"/> for every seed, trained in parallel through the run cache.</summary>
    public static IReadOnlyList<RunRecord> Run(ExperimentSpec spec)
    {
        var records = new RunRecord[All.Count];
        Parallel.For(0, All.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => records[i] = RunCache.Get(spec with { Seed = All[i] }));
        return records;
    }
}
