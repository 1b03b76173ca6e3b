using Experiments.Reporting;
using FluentAssertions;
using NUnit.Framework;

namespace Hypotheses.Reliability;

[TestFixture, Category("Reliability")]
public class RunFolderTests
{
    [Test(Description = "A run that fails before it is complete leaves nothing behind")]
    public void An_uncommitted_run_leaves_nothing()
    {
        string output = Directory.CreateTempSubdirectory("runfolder-").FullName;
        try
        {
            using (var folder = RunFolder.Create(output, "r1"))
            {
                File.WriteAllText(folder.PathOf("half.json"), "{");
                Directory.Exists(folder.WorkingPath).Should().BeTrue();
            }
            Directory.EnumerateFileSystemEntries(Path.Combine(output, "runs")).Should().BeEmpty();
        }
        finally { Directory.Delete(output, recursive: true); }
    }

    [Test]
    public void A_committed_run_is_moved_into_place_and_named_latest()
    {
        string output = Directory.CreateTempSubdirectory("runfolder-").FullName;
        try
        {
            using (var folder = RunFolder.Create(output, "r2"))
            {
                File.WriteAllText(folder.PathOf("record.json"), "{}");
                folder.Commit().Should().Be(Path.Combine(output, "runs", "r2"));
            }
            File.ReadAllText(Path.Combine(output, "runs", "r2", "record.json")).Should().Be("{}");
            File.ReadAllText(Path.Combine(output, "runs", "latest.txt")).Trim().Should().Be("r2");
            Directory.GetDirectories(Path.Combine(output, "runs"), ".partial-*").Should().BeEmpty();
        }
        finally { Directory.Delete(output, recursive: true); }
    }
}
