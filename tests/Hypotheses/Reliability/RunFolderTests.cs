using Experiments.Reporting;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

[TestFixture, Category("Reliability")]
public class RunFolderTests
{
    [Test(Description = "A run that fails before it is complete leaves nothing behind")]
    public void An_uncommitted_run_leaves_nothing()
    {
        using var output = new TempFolder("runfolder-");
        using (var folder = RunFolder.Create(output.Path, "r1"))
        {
            File.WriteAllText(folder.PathOf("half.json"), "{");
            Directory.Exists(folder.WorkingPath).Should().BeTrue();
        }
        Directory.EnumerateFileSystemEntries(Path.Combine(output.Path, "runs")).Should().BeEmpty();
    }

    [Test]
    public void A_committed_run_is_moved_into_place_and_named_latest()
    {
        using var output = new TempFolder("runfolder-");
        string runs = Path.Combine(output.Path, "runs");
        using (var folder = RunFolder.Create(output.Path, "r2"))
        {
            File.WriteAllText(folder.PathOf("record.json"), "{}");
            folder.Commit().Should().Be((Path.Combine(runs, "r2"), (string?)null));
        }
        File.ReadAllText(Path.Combine(runs, "r2", "record.json")).Should().Be("{}");
        File.ReadAllText(Path.Combine(runs, "latest.txt")).Trim().Should().Be("r2");
        Directory.GetDirectories(runs, ".partial-*").Should().BeEmpty();
    }
}
