namespace Experiments.Records;

/// <summary>
/// Records grouped as seeds of one configuration: only records whose specs agree in every field but the seed. A group is
/// named by its file name (relu-d20); where groups share that name because they differ only in fields the name leaves out
/// (samples, epochs, data, threads, ...), those fields are added, e.g. "relu-d20 (samples=200)", so no two groups look alike.
/// </summary>
public static class Configurations
{
    static readonly int DefaultSeed = new ExperimentSpec().Seed;

    static ExperimentSpec Configuration(RunRecord record) => record.Spec with { Seed = DefaultSeed };

    /// <summary>The groups, in the order of their first record, each named as no other group is.</summary>
    public static IReadOnlyList<IGrouping<string, RunRecord>> Of(IEnumerable<RunRecord> records)
    {
        var list = records.ToList();
        var distinction = Distinctions(list);
        return list.GroupBy(Configuration).SelectMany(g => g.Select(r => (Name: g.Key.FileName() + distinction(g.Key), Record: r)))
            .GroupBy(p => p.Name, p => p.Record).ToList();
    }

    /// <summary>For each configuration of the records: " (field=value, ...)" with the fields that set it apart from the
    /// configurations of the same file name, or "" where it has that name alone.</summary>
    public static Func<ExperimentSpec, string> Distinctions(IReadOnlyList<RunRecord> records)
    {
        var suffixes = new Dictionary<ExperimentSpec, string>();
        foreach (var shared in records.Select(Configuration).Distinct().GroupBy(c => c.FileName()))
        {
            var fields = shared.Select(Fields).ToList();
            var differing = fields[0].Keys.Where(k => fields.Select(f => f[k]).Distinct().Count() > 1).ToList();
            foreach (var (configuration, values) in shared.Zip(fields))
                suffixes[configuration] = differing.Count == 0 ? "" : $" ({string.Join(", ", differing.Select(k => $"{k}={values[k]}"))})";
        }
        return configuration => suffixes.GetValueOrDefault(configuration with { Seed = DefaultSeed }, "");
    }

    /// <summary>The spec's fields by their JSON names, as the JSON writes them ("none" for unset: samples=none takes all).</summary>
    static Dictionary<string, string> Fields(ExperimentSpec spec) =>
        SpecFields.All.ToDictionary(f => f.JsonName, f => f.Text(spec) is { Length: > 0 } text ? text : "none");
}
