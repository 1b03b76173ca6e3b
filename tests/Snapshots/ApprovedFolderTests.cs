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
        var produced = ClassicSnapshots.Tests
            .SelectMany(test => test.Files.Select(file => file.ApprovedFileName(typeof(ClassicSnapshots), test.Test)))
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
        var testMethods = typeof(ClassicSnapshots).GetMethods()
            .Where(m => m.IsDefined(typeof(TestAttribute)) || m.IsDefined(typeof(TestCaseSourceAttribute))).Select(m => m.Name);

        testMethods.Should().BeEquivalentTo(ClassicSnapshots.Tests.Select(t => t.Test).Distinct(),
            "the approved-file check knows a test's files only from this list");
    }
}
