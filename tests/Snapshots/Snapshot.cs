using ApprovalTests;
using ApprovalTests.Namers;
using ApprovalTests.Reporters;
using NUnit.Framework;

namespace Snapshots;

/// <summary>
/// Verifies several snapshots of one test (figures and tables, by scenario name) and reports every difference at once,
/// so a reviewer sees the whole change and every received file is written in one run.
/// </summary>
public static class Snapshot
{
    public static Action Png(byte[] png) => () => Approvals.Verify(new PngApprover(png, Approvals.GetDefaultNamer()), Approvals.GetReporter());

    public static Action Text(string text) => () => Approvals.Verify(text);

    public static void VerifyAll(params (string Scenario, Action Verify)[] snapshots)
    {
        var failures = new List<string>();
        foreach (var (scenario, verify) in snapshots)
        {
            using var _ = ApprovalResults.ForScenario(scenario);
            try { verify(); }
            catch (Exception e) when (e is SnapshotMismatchException or ApprovalTests.Core.Exceptions.ApprovalException)
            {
                failures.Add($"- {scenario}: {Describe(e)}");
            }
        }
        if (failures.Count > 0)
            Assert.Fail($"{failures.Count} of {snapshots.Length} snapshots differ from the approved ones:\n{string.Join("\n", failures)}");
    }

    /// <summary>For a text snapshot, the first line that differs; ApprovalTests' own message names only the files.</summary>
    static string Describe(Exception e)
    {
        if (e is not ApprovalTests.Core.Exceptions.ApprovalException mismatch) return e.Message;
        if (!File.Exists(mismatch.Approved)) return $"no approved snapshot {Path.GetFileName(mismatch.Approved)} yet; review {Path.GetFileName(mismatch.Received)}, then accept it with `dotnet cake --target=AcceptSnapshots`";
        var approved = File.ReadAllLines(mismatch.Approved);
        var received = File.ReadAllLines(mismatch.Received);
        var differing = Enumerable.Range(0, Math.Max(approved.Length, received.Length))
            .Where(i => Line(approved, i) != Line(received, i)).ToList();
        int line = differing[0];
        return $"table differs from {Path.GetFileName(mismatch.Approved)} in {differing.Count} of {approved.Length} lines, first line {line + 1}:\n    approved: {Line(approved, line)}\n    received: {Line(received, line)}\n" +
               $"  review {Path.GetFileName(mismatch.Received)}, then accept it with `dotnet cake --target=AcceptSnapshots`";
    }

    static string Line(string[] lines, int index) => index < lines.Length ? lines[index].Trim('\uFEFF') : "(end of file)";
}
