using Experiments.Plotting;
using Experiments.Records;
using NUnit.Framework;

namespace Hypotheses.Vocabulary;

/// <summary>
/// What a test run keeps under the repository's artifacts/hypotheses, to look at after a surprise: every record a
/// hypothesis read (records/&lt;spec id&gt;.json, which `report` reads like any results folder), and, when a hypothesis
/// fails, the per-layer figures of each failing seed's run (figures/&lt;test&gt;/).
/// </summary>
public static class Artifacts
{
    static readonly object Writing = new();
    static readonly HashSet<string> Saved = new();

    /// <summary>The repository's root (the folder holding Experiments.sln above the test's folder), or null outside a checkout.</summary>
    public static string? Root { get; } = FindRoot();

    public static string? Hypotheses => Root is null ? null : Path.Combine(Root, "artifacts", "hypotheses");

    /// <summary>Saves the records behind <paramref name="measured"/> and, where it failed, the failing seeds' figures;
    /// returns lines that say where they are (empty where nothing is kept).</summary>
    public static string Keep(Measured measured, IReadOnlyList<bool> passes, bool passed)
    {
        if (Hypotheses is not { } folder || measured.Records is not { } records || records.Count != measured.Values.Count) return "";
        var store = new ResultStore(Path.Combine(folder, "records"));
        lock (Writing) // one writer per record: tests in parallel share runs
            foreach (var record in records.Where(r => Saved.Add(r.SpecId)))
                store.Save(record);
        string lines = $"\n  records: {Relative(store.Folder)} ({string.Join(", ", records.Select(r => r.SpecId + ".json"))})";
        if (passed) return lines;

        string figures = Path.Combine(folder, "figures", TestContext.CurrentContext.Test.MethodName ?? "test");
        Directory.CreateDirectory(figures);
        var drawn = new List<string>();
        for (int i = 0; i < records.Count; i++)
            if (!passes[i])
                foreach (var (file, draw) in FigureSet.ForRecord(records[i]))
                    if (FigureSet.TrySave(figures, file, path => draw().SavePng(path, FigureStyle.Width, FigureStyle.Height)) is null) drawn.Add(file);
        return lines + $"\n  figures of the failing seeds: {Relative(figures)} ({drawn.Count} files)";
    }

    static string Relative(string path) => Path.GetRelativePath(Root!, path);

    static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Experiments.sln"))) return dir.FullName;
        return null;
    }
}
