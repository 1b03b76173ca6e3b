using System.Runtime.CompilerServices;
using ApprovalTests;
using ApprovalTests.Namers;
using NUnit.Framework;

namespace Snapshots;

/// <summary>One approved file of a test: the scenario that ends its name, its extension, and the check (which renders when run).</summary>
public sealed record SnapshotFile(string Scenario, string Extension, Action Verify)
{
    /// <summary>The name ApprovalTests gives this snapshot of <paramref name="test"/> in <paramref name="fixture"/>.</summary>
    public string ApprovedFileName(Type fixture, string test) => $"{fixture.Name}.{test}.ForScenario.{Scenario}.approved.{Extension}";
}

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

    public static SnapshotFile Png(string scenario, Func<byte[]> render) => new(scenario, PngApprover.Extension,
        () => Approvals.Verify(new PngApprover(render(), Approvals.GetDefaultNamer()), Approvals.GetReporter()));

    public static SnapshotFile Text(string scenario, Func<string> text) => new(scenario, TextApprover.Extension,
        () => Approvals.Verify(new TextApprover(text(), Approvals.GetDefaultNamer()), Approvals.GetReporter()));

    public static void VerifyAll(IReadOnlyList<SnapshotFile> snapshots)
    {
        var failures = new List<string>();
        foreach (var snapshot in snapshots)
        {
            using var _ = ApprovalResults.ForScenario(snapshot.Scenario);
            try { snapshot.Verify(); }
            catch (SnapshotMismatchException e) { failures.Add($"- {snapshot.Scenario}: {e.Message}"); }
        }
        if (failures.Count > 0)
            Assert.Fail($"{failures.Count} of {snapshots.Count} snapshots differ from the approved ones:\n{string.Join("\n", failures)}");
    }
}
