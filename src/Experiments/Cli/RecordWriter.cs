using Experiments.Records;
using Experiments.Reporting;
using Experiments.Workers;

namespace Experiments.Cli;

/// <summary>
/// Writes each run's record (and, for the main job, its text table) into the job's partial folder as soon as the run
/// ends: records first, on disk before any figure is drawn. A write that fails (a full disk) is named in
/// <see cref="Unsaved"/> and that run is left out of <see cref="Written"/>, so the job reports it and exits 1 with what it
/// did write. Called from the worker pool's threads.
/// </summary>
internal sealed class RecordWriter(RunFolder folder, bool withTables)
{
    readonly List<string> unsaved = [];
    readonly HashSet<ExperimentSpec> saved = [];

    public void Write(RunRecord record)
    {
        try
        {
            folder.WriteAtomically(JobFiles.Record(record.Spec), RecordJson.Serialize(record));
            lock (saved) saved.Add(record.Spec);
            if (withTables) folder.WriteAtomically(JobFiles.Table(record.Spec), LayerTable.Format(record));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lock (saved) unsaved.Add($"could not write the record of {record.Spec.FileName()}: {e.Message}");
        }
    }

    /// <summary>One line for each run whose files could not be written.</summary>
    public IReadOnlyList<string> Unsaved
    {
        get { lock (saved) return unsaved.ToList(); }
    }

    /// <summary>The records on disk, in the order of <paramref name="outcomes"/>.</summary>
    public List<RunRecord> Written(IEnumerable<RunOutcome> outcomes)
    {
        lock (saved) return outcomes.Where(o => o.Record is not null && saved.Contains(o.Spec)).Select(o => o.Record!).ToList();
    }
}
