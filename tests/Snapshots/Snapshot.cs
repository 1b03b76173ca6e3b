using System.Runtime.CompilerServices;
using ApprovalTests;
using ApprovalTests.Namers;
using NUnit.Framework;

namespace Snapshots;

/// <summary>
/// Verifies several snapshots of one test (figures and tables, by scenario name) and reports every difference at once,
/// so a reviewer sees the whole change and every received file is written in one run.
/// </summary>
public static class Snapshot
{
    /// <summary>The approved files' folder, beside the test sources (<see cref="UseApprovalSubdirectoryAttribute"/>).</summary>
    public const string ApprovedFolderName = "Approved";

    /// <summary>The approved folder in the source tree, where ApprovalTests reads and writes it.</summary>
    public static string ApprovedFolder { get; } = Path.Combine(SourceFolder(), ApprovedFolderName);

    static string SourceFolder([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(thisFile)!;

    public static Action Png(byte[] png) => () => Approvals.Verify(new PngApprover(png, Approvals.GetDefaultNamer()), Approvals.GetReporter());

    public static Action Text(string text) => () => Approvals.Verify(new TextApprover(text, Approvals.GetDefaultNamer()), Approvals.GetReporter());

    public static void VerifyAll(params (string Scenario, Action Verify)[] snapshots)
    {
        var failures = new List<string>();
        foreach (var (scenario, verify) in snapshots)
        {
            using var _ = ApprovalResults.ForScenario(scenario);
            try { verify(); }
            catch (SnapshotMismatchException e) { failures.Add($"- {scenario}: {e.Message}"); }
        }
        if (failures.Count > 0)
            Assert.Fail($"{failures.Count} of {snapshots.Length} snapshots differ from the approved ones:\n{string.Join("\n", failures)}");
    }
}
