namespace Experiments.Records;

/// <summary>
/// A folder's write lock, across processes: an exclusive open of its <c>.lock</c> file (an advisory lock that ends with
/// the process, so a killed job never leaves it held). Held only for a check and a rename, so waiting is short.
/// </summary>
public sealed class FolderLock : IDisposable
{
    const string Name = ".lock";
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    readonly FileStream file;

    FolderLock(FileStream file) => this.file = file;

    public static FolderLock Take(string folder)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FolderLock(new FileStream(Path.Combine(folder, Name), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (clock.Elapsed < Patience && File.Exists(Path.Combine(folder, Name)))
            {
                Thread.Sleep(20); // another writer holds it for a rename
            }
        }
    }

    public void Dispose() => file.Dispose();
}
