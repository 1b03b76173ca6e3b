using System.Runtime.CompilerServices;
using ApprovalTests;
using ApprovalTests.Core;
using ApprovalTests.Reporters;
using NUnit.Framework;

namespace Snapshots;

/// <summary>One approved file of a test: the scenario that ends its name, its extension, and the check (which renders when run).</summary>
public sealed record SnapshotFile(string Scenario, string Extension, Action<IApprovalNamer> Verify)
{
    /// <summary>The approved file of this snapshot of <paramref name="test"/> in <paramref name="fixture"/>.</summary>
    public string ApprovedFileName(Type fixture, string test) => $"{BaseName(fixture.Name, test)}.approved.{Extension}";

    /// <summary>ApprovalTests' naming (fixture.test.ForScenario.scenario), given explicitly rather than read from the stack,
    /// which finds no test method in a parameterised test.</summary>
    public string BaseName(string fixture, string test) => $"{fixture}.{test}.ForScenario.{Scenario}";
}

/// <summary>A snapshot's place: the approved folder and the file's base name.</summary>
public sealed record FixedNamer(string SourcePath, string Name) : IApprovalNamer;

/// <summary>
/// Verifies several snapshots of one test (figures and tables, by scenario name) and reports every difference at once,
/// so a reviewer sees the whole change and every received file is written in one run.
/// </summary>
public static class Snapshot
{
    /// <summary>The approved files' folder, beside the test sources.</summary>
    public const string ApprovedFolderName = "Approved";

    /// <summary>The approved folder in the source tree, where ApprovalTests reads and writes it.</summary>
    public static string ApprovedFolder { get; } = Path.Combine(SourceFolder(), ApprovedFolderName);

    static string SourceFolder([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(thisFile)!;

    // No diff tool is launched by the tests: a reviewer reads the received file, and CI machines have no diff tool.
    static readonly QuietReporter Reporter = new();

    public static SnapshotFile Png(string scenario, Func<byte[]> render) => new(scenario, PngApprover.Extension,
        namer => Approvals.Verify(new PngApprover(render(), namer), Reporter));

    public static SnapshotFile Text(string scenario, Func<string> text) => new(scenario, TextApprover.Extension,
        namer => Approvals.Verify(new TextApprover(text(), namer), Reporter));

    /// <summary>Verifies the snapshots of the current test (its fixture and method name the files).</summary>
    public static void VerifyAll(IReadOnlyList<SnapshotFile> snapshots)
    {
        var test = TestContext.CurrentContext.Test;
        string fixture = test.ClassName!.Split('.')[^1], method = test.MethodName!;
        var failures = new List<string>();
        foreach (var snapshot in snapshots)
        {
            try { snapshot.Verify(new FixedNamer(ApprovedFolder, snapshot.BaseName(fixture, method))); }
            catch (SnapshotMismatchException e) { failures.Add($"- {snapshot.Scenario}: {e.Message}"); }
        }
        if (failures.Count > 0)
            Assert.Fail($"{failures.Count} of {snapshots.Count} snapshots differ from the approved ones:\n{string.Join("\n", failures)}");
    }
}
