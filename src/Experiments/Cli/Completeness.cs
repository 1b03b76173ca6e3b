using Experiments.Records;

namespace Experiments.Cli;

/// <summary>
/// Which of a sweep's specs a set of records covers (`report --expect &lt;sweep file&gt;`): a spec is complete when its record
/// finished (complete, or diverged: the divergence is its result), incomplete when its record was interrupted, missing when
/// no record has its id. The report states "N of M specs complete" and names the others; the command then exits non-zero.
/// </summary>
public sealed record Completeness(string SweepFile, int Expected, IReadOnlyList<ExperimentSpec> Missing,
    IReadOnlyList<ExperimentSpec> Incomplete, int Unexpected)
{
    /// <summary>Exit code of `report --expect` when specs are missing or incomplete (the report is written): as a job whose runs
    /// failed, some runs are not in it.</summary>
    public const int ExitIncomplete = Job.RunsFailed;

    public static Completeness Of(string sweepFile, IReadOnlyList<ExperimentSpec> specs, IReadOnlyList<RunRecord> records)
    {
        // One record per spec, a finished one first (ResultStore.LoadAll), by the id this program computes: a record saved
        // under an older id counts as its spec's.
        var byId = records.ToDictionary(r => r.Spec.Id);
        var expectedIds = specs.Select(s => s.Id).ToHashSet();
        return new Completeness(sweepFile, specs.Count,
            specs.Where(s => !byId.ContainsKey(s.Id)).ToList(),
            specs.Where(s => byId.TryGetValue(s.Id, out var r) && r.Interrupted).ToList(),
            records.Count(r => !expectedIds.Contains(r.Spec.Id)));
    }

    public bool IsComplete => Missing.Count == 0 && Incomplete.Count == 0;

    /// <summary>"N of M specs complete (file)", then one line per missing or incomplete spec and a note of records the sweep does not have.</summary>
    public IReadOnlyList<string> Lines() =>
    [
        $"{Expected - Missing.Count - Incomplete.Count} of {Expected} specs complete ({SweepFile})",
        .. Missing.Select(s => $"missing: {s.FileName()} (spec {s.Id})"),
        .. Incomplete.Select(s => $"incomplete (interrupted): {s.FileName()} (spec {s.Id})"),
        .. Unexpected > 0 ? [$"{Unexpected} record(s) of specs that {SweepFile} does not have are in the report too"] : Array.Empty<string>(),
    ];

    /// <summary>Prints the lines; returns the exit code: 0 when every spec is complete.</summary>
    public int Tell()
    {
        foreach (string line in Lines()) Console.WriteLine(line);
        if (IsComplete) return 0;
        Console.Error.WriteLine($"error: {Missing.Count} missing and {Incomplete.Count} incomplete of the {Expected} specs of {SweepFile}; " +
                                "run the sweep (or the failed shards) again to train them");
        return ExitIncomplete;
    }
}
