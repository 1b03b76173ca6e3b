using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>`--dry-run` lists exactly the files a job writes (CI's check of the main job's artifacts relies on it) and writes none.</summary>
[TestFixture, Category("Reliability")]
public class DryRunTests
{
    // A plain MLP has a theory figure; a normalised one has none. Two configurations each, so the summary figures are drawn too.
    [TestCase("--activation", "tanh", "relu")]
    [TestCase("--activation", "tanh", "relu", "--norm", "layer")]
    public void A_dry_run_lists_exactly_the_files_the_job_writes(params string[] options)
    {
        using var temp = new TempFolder("dry-run-");
        string[] job = [.. options, "--depth", "2", "--samples", "200", "--epochs", "1", "--out", temp.Path];

        var (dryExit, listing, dryError) = CliProcess.Run([.. job, "--dry-run"]);
        dryExit.Should().Be(0, dryError);
        Directory.EnumerateFileSystemEntries(temp.Path).Should().BeEmpty("a dry run writes nothing");
        var planned = listing.Split('\n').SkipWhile(l => !l.StartsWith("Files of the run folder")).Skip(1)
            .Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

        var (exitCode, _, error) = CliProcess.Run(job);
        exitCode.Should().Be(0, error);
        var written = Directory.EnumerateFileSystemEntries(CliRun.RunFolderOf(temp.Path)).Select(Path.GetFileName).ToList();
        written.Should().BeEquivalentTo(planned);
    }
}
