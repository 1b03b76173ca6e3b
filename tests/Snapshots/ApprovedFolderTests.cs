using System.Reflection;
using FluentAssertions;
using NUnit.Framework;

namespace Snapshots;

/// <summary>The approved folder holds exactly what the snapshot tests produce: a renamed or removed snapshot leaves nothing behind.</summary>
[TestFixture]
public class ApprovedFolderTests
{
    [Test]
    public void Every_approved_file_is_produced_by_a_snapshot_test()
    {
        var produced = Fixtures
            .SelectMany(fixture => fixture.Tests.SelectMany(test => test.Files.Select(file => file.ApprovedFileName(fixture.Type, test.Test))))
            .ToHashSet();

        var orphans = Directory.EnumerateFiles(Snapshot.ApprovedFolder, "*.approved.*")
            .Select(path => Path.GetFileName(path)).Where(name => !produced.Contains(name)).Order().ToList();

        if (orphans.Count > 0)
            Assert.Fail($"{orphans.Count} approved file(s) in {Snapshot.ApprovedFolder} that no snapshot test produces; " +
                        $"delete them with git rm, or restore their test:\n{string.Join("\n", orphans.Select(o => $"- {o}"))}");
    }

    [Test]
    public void Every_snapshot_test_is_listed()
    {
        foreach (var (type, tests) in Fixtures)
        {
            var testMethods = type.GetMethods()
                .Where(m => m.IsDefined(typeof(TestAttribute)) || m.IsDefined(typeof(TestCaseSourceAttribute))).Select(m => m.Name);
            testMethods.Should().BeEquivalentTo(tests.Select(t => t.Test).Distinct(), $"the approved-file check knows {type.Name}'s files only from its list");
        }
    }

    /// <summary>Every snapshot fixture with its list of tests and their files.</summary>
    static IEnumerable<(Type Type, IEnumerable<(string Test, IReadOnlyList<SnapshotFile> Files)> Tests)> Fixtures =>
    [
        (typeof(ClassicSnapshots), ClassicSnapshots.Tests),
        (typeof(RecurrentSnapshots), RecurrentSnapshots.Tests),
        (typeof(PhaseSnapshots), PhaseSnapshots.Tests.Select(t => (t.Key, t.Value()))),
    ];
}
