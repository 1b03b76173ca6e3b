using System.Collections.Concurrent;
using Experiments.Reporting;
using NUnit.Framework;

namespace Hypotheses.Vocabulary;

/// <summary>One checked hypothesis: the claim, what the data says of it, and the numbers behind that.</summary>
public sealed record VerdictRow(Claim Claim, string Verdict, Sample Sample, string Expectation, bool Passed);

/// <summary>
/// Collects every hypothesis' verdict during the test run and writes them to artifacts/verdicts/verdicts.md
/// (which the main job's report shows) and verdicts.csv at the end of the run.
/// </summary>
public static class Verdicts
{
    static readonly ConcurrentQueue<VerdictRow> Rows = new();

    public static void Add(VerdictRow row)
    {
        Rows.Enqueue(row);
        TestContext.Out.WriteLine($"{row.Claim.Name}: {row.Verdict} ({row.Expectation}); {row.Sample}");
    }

    internal static void Write()
    {
        string? root = RepositoryRoot();
        if (root is null || Rows.IsEmpty) return;
        string folder = Path.Combine(root, "artifacts", "verdicts");
        Directory.CreateDirectory(folder);
        var rows = Rows.OrderBy(r => r.Claim.Name, StringComparer.Ordinal).ThenBy(r => r.Verdict, StringComparer.Ordinal).ToList();
        string[] headers = ["claim", "verdict", "measure", "condition", "median", "min", "max", "expected", "test"];
        var cells = rows.Select(r => new[]
        {
            r.Claim.Name, r.Verdict, r.Sample.Measure.Name, r.Sample.ConditionText, Sample.Num(r.Sample.Median),
            Sample.Num(r.Sample.Min), Sample.Num(r.Sample.Max), r.Expectation, r.Passed ? "passed" : "FAILED",
        }).ToList();
        WriteAtomically(Path.Combine(folder, "verdicts.md"), ReportWriter.MarkdownTable(headers, cells) + "\n");
        WriteAtomically(Path.Combine(folder, "verdicts.csv"),
            string.Join(",", headers) + "\n" + string.Concat(cells.Select(c => string.Join(",", c.Select(Quote)) + "\n")));
    }

    static string Quote(string cell) => "\"" + cell.Replace("\"", "\"\"") + "\"";

    static void WriteAtomically(string path, string text)
    {
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    internal static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Experiments.sln"))) return dir.FullName;
        return null;
    }
}
