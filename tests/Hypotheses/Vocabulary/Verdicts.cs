using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Experiments.Records;
using Experiments.Reporting;
using NUnit.Framework;

namespace Hypotheses.Vocabulary;

/// <summary>One checked hypothesis: the claim, what the data says of it, and the numbers behind that.</summary>
public sealed record VerdictRow(Claim Claim, string Verdict, Measured Measured, string Expectation, bool Passed)
{
    /// <summary>The test that checked it (its full name): the key under which the verdict files keep its row.</summary>
    public string Test { get; init; } = "";
}

/// <summary>One row of the verdict files, as kept between test runs (verdicts.json), with when and at which commit it was made.</summary>
public sealed record VerdictEntry(string Test, string Claim, string Verdict, string Measure, string Condition, string Median,
    string Min, string Max, string Expected, string Result, string Date, string Commit);

/// <summary>
/// Collects every hypothesis' verdict during the test run and, at its end, merges them into artifacts/verdicts: a run of
/// some tests (a filter) replaces those tests' rows and keeps the others, each row with the date and commit it was made
/// at. verdicts.md (which the main job's report shows) says which rows are stale (made at another commit than this run's);
/// verdicts.csv has the same rows; verdicts.json keeps them for the next merge.
/// </summary>
public static class Verdicts
{
    static readonly ConcurrentQueue<VerdictRow> Rows = new();
    static readonly AsyncLocal<bool> Unrecorded = new();

    /// <summary>Within this scope assertions record no verdict: for tests of the vocabulary itself, whose claims are made up.</summary>
    public static IDisposable Off()
    {
        Unrecorded.Value = true;
        return new Restore();
    }

    sealed class Restore : IDisposable
    {
        public void Dispose() => Unrecorded.Value = false;
    }

    public static void Add(VerdictRow row)
    {
        if (Unrecorded.Value) return;
        Rows.Enqueue(row with { Test = TestContext.CurrentContext.Test.FullName });
    }

    internal static void Write()
    {
        if (Artifacts.Root is not { } root || Rows.IsEmpty) return;
        string folder = Path.Combine(root, "artifacts", "verdicts");
        Directory.CreateDirectory(folder);
        string commit = Commit(root), date = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'");
        var now = Rows.Select(r => Entry(r, date, commit)).ToList();
        var tests = now.Select(e => e.Test).ToHashSet();
        var kept = Load(Path.Combine(folder, "verdicts.json")).Where(e => !tests.Contains(e.Test));
        var rows = now.Concat(kept).OrderBy(e => e.Claim, StringComparer.Ordinal).ThenBy(e => e.Test, StringComparer.Ordinal).ToList();

        string[] headers = ["claim", "verdict", "measure", "condition", "median", "min", "max", "expected", "test", "as of"];
        var cells = rows.Select(e => new[]
        {
            e.Claim, e.Verdict, e.Measure, e.Condition, e.Median, e.Min, e.Max, e.Expected, e.Result,
            $"{e.Date}, {e.Commit}" + (e.Commit == commit ? "" : " (stale)"),
        }).ToList();
        int stale = rows.Count(e => e.Commit != commit);
        string summary = $"{rows.Count} verdicts: {now.Count} from the test run of {date} at commit {commit}, {rows.Count - now.Count} kept from " +
                         $"earlier runs{(stale > 0 ? $", of which {stale} made at another commit are marked stale (run `dotnet test` to renew them)" : "")}.\n\n";
        ResultStore.WriteAtomically(Path.Combine(folder, "verdicts.json"), JsonSerializer.Serialize(rows, RecordJson.Indented));
        ResultStore.WriteAtomically(Path.Combine(folder, "verdicts.md"), summary + ReportWriter.MarkdownTable(headers, cells) + "\n");
        ResultStore.WriteAtomically(Path.Combine(folder, "verdicts.csv"),
            string.Join(",", headers) + "\n" + string.Concat(cells.Select(c => string.Join(",", c.Select(Quote)) + "\n")));
    }

    static VerdictEntry Entry(VerdictRow r, string date, string commit)
    {
        var m = r.Measured;
        string Safe(Func<double> read) => m.Values.Count == 0 ? "" : Measured.Num(read());
        return new VerdictEntry(r.Test, r.Claim.Name, r.Verdict, m.Measure.Name, m.ConditionText, Safe(() => m.Median), Safe(() => m.Min),
            Safe(() => m.Max), r.Expectation, r.Passed ? "passed" : "FAILED", date, commit);
    }

    /// <summary>The rows kept by an earlier run; none if there are none or the file cannot be read (it is written anew).</summary>
    static IReadOnlyList<VerdictEntry> Load(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<List<VerdictEntry>>(File.ReadAllText(path), RecordJson.Indented) ?? [] : [];
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            TestContext.Progress.WriteLine($"warning: {path}: not readable ({e.Message}); the verdicts of earlier runs are dropped");
            return [];
        }
    }

    /// <summary>The checkout's commit (short hash, "+changes" where files differ from it), or "unknown" outside git.</summary>
    static string Commit(string root)
    {
        string? Git(string arguments)
        {
            try
            {
                var start = new ProcessStartInfo("git", $"-C \"{root}\" {arguments}") { RedirectStandardOutput = true, RedirectStandardError = true };
                using var git = Process.Start(start)!;
                string output = git.StandardOutput.ReadToEnd().Trim();
                git.WaitForExit();
                return git.ExitCode == 0 ? output : null;
            }
            catch (System.ComponentModel.Win32Exception) { return null; } // no git on this machine
        }
        string? hash = Git("rev-parse --short HEAD");
        if (hash is null) return "unknown";
        return Git("status --porcelain --untracked-files=no") is { Length: > 0 } ? hash + "+changes" : hash;
    }

    static string Quote(string cell) => "\"" + cell.Replace("\"", "\"\"") + "\"";
}
