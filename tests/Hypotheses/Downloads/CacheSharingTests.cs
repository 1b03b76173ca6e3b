using Experiments.Data;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Downloads;

/// <summary>
/// One download cache filled by several writers at once: processes on one machine, or containers sharing the cache
/// folder, where process ids repeat (each container's first process is 1). No writer deletes another's temporary file.
/// </summary>
[TestFixture, Category("Reliability")]
public class CacheSharingTests : ServedDataSet
{
    const string TrainImages = "train-images-idx3-ubyte.gz";

    Dataset Dataset() => new(Name, "test data", "test credit", [Server.Url + Name + "/"], DownloadTests.Table);

    [Test(Description = "Two fills of one cache at once, with the same process id (as two containers' first processes): both succeed, the files are whole")]
    public void Two_concurrent_fills_of_one_cache_both_succeed()
    {
        // The server answers the training images only once both writers have asked, then slowly: their downloads overlap.
        Server.ServeTogether($"{Name}/{TrainImages}", DownloadTests.Served[TrainImages], clients: 2);
        using var start = new Barrier(2);
        var fills = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return Download.Ensure(Dataset(), Temp.Path);
        })).ToArray();

        var completed = Task.WhenAll(fills).ContinueWith(t => t, TaskScheduler.Default).Result;
        completed.IsFaulted.Should().BeFalse(completed.Exception?.InnerExceptions.FirstOrDefault()?.Message);
        string folder = fills[0].Result;
        foreach (var (file, bytes) in DownloadTests.Served) File.ReadAllBytes(Path.Combine(folder, file)).Should().Equal(bytes, file);
        Directory.GetFiles(folder, "*.part").Should().BeEmpty("each writer removes its own temporary file");
    }

    [Test(Description = "A temporary file another container is writing (its process id means nothing here) is left alone")]
    public void A_part_another_writer_holds_is_not_deleted()
    {
        string folder = Directory.CreateDirectory(Path.Combine(Temp.Path, Name)).FullName;
        // Named as a writer in another container names it: the id of a process this machine does not have.
        string foreign = Path.Combine(folder, $"{TrainImages}.99999999.part");
        using (var writing = new FileStream(foreign, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            writing.Write(new byte[1000]);
            writing.Flush();

            Download.Ensure(Dataset(), Temp.Path);

            File.Exists(foreign).Should().BeTrue("the other writer is still writing it");
        }
    }

    [Test(Description = "A temporary file nobody holds and nobody wrote to for long (a killed writer's) is removed")]
    public void An_abandoned_part_is_removed()
    {
        string folder = Directory.CreateDirectory(Path.Combine(Temp.Path, Name)).FullName;
        string abandoned = Path.Combine(folder, $"{TrainImages}.0123456789abcdef.part");
        File.WriteAllBytes(abandoned, new byte[1000]);
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddHours(-1));

        Download.Ensure(Dataset(), Temp.Path);

        File.Exists(abandoned).Should().BeFalse();
    }
}
