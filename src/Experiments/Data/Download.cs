using System.Security.Cryptography;

namespace Experiments.Data;

/// <summary>Bytes of one file received so far; <paramref name="Total"/> is the published length.</summary>
public sealed record DownloadProgress(string Url, long Received, long Total);

/// <summary>
/// Downloads a data set's files into its cache folder, each once. A file is written under a temporary name of its own
/// writer (a random part, so that processes of two containers sharing the cache, where process ids repeat, never share
/// one), held locked while it is written, its length and SHA-256 checked against the table, and only then renamed:
/// a file with its final name is always whole and checked, and is checked again after the rename. Two processes filling
/// one cache both download and rename the same bytes. A failure names the URL and what was expected; the next mirror,
/// if any, is tried first.
/// </summary>
public static class Download
{
    /// <summary>Longest wait for the next bytes of a response before the download counts as failed.</summary>
    static readonly TimeSpan Stall = TimeSpan.FromSeconds(60);
    /// <summary>Variable that sets the longest a whole file may take, in seconds: a mirror that trickles a byte a minute never
    /// stalls, and would otherwise hold the job forever.</summary>
    public const string TimeoutVariable = "EXPERIMENTS_DOWNLOAD_TIMEOUT_SECONDS";
    /// <summary>The default whole-file limit: MNIST's largest file (9.9 MB) at 20 kB/s takes about 500 s.</summary>
    static readonly TimeSpan DefaultFileLimit = TimeSpan.FromMinutes(15);
    const string PartSuffix = ".part";
    static readonly HttpClient Http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) }) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The data set's cache folder under <paramref name="cacheRoot"/>, with all its files, downloading those missing;
    /// <paramref name="fileLimit"/> is the longest one file may take (default: <see cref="TimeoutVariable"/>, or 15 minutes).</summary>
    public static string Ensure(Dataset dataset, string cacheRoot, Action<DownloadProgress>? progress = null, Action<string>? warn = null,
                                TimeSpan? fileLimit = null)
    {
        string folder = Path.Combine(cacheRoot, dataset.Name);
        if (dataset.Files.All(f => File.Exists(Path.Combine(folder, f.Name)))) return folder;
        try { Directory.CreateDirectory(folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{dataset.Name}: cannot write the cache folder {folder} ({e.Message}); " +
                                        $"expected a writable folder (set {Datasets.CacheVariable} to choose another)", e);
        }
        RemoveAbandonedParts(folder);
        var limit = fileLimit ?? EnvironmentLimit.Seconds(TimeoutVariable, DefaultFileLimit);
        foreach (var file in dataset.Files.Where(f => !File.Exists(Path.Combine(folder, f.Name))))
            Fetch(dataset, file, Path.Combine(folder, file.Name), limit, progress, warn);
        return folder;
    }


    static void Fetch(Dataset dataset, PublishedFile file, string path, TimeSpan limit, Action<DownloadProgress>? progress, Action<string>? warn)
    {
        string? failure = null;
        foreach (string mirror in dataset.Mirrors)
        {
            if (failure != null) warn?.Invoke(failure + "; trying the next mirror");
            string url = mirror + file.Name;
            string part = $"{path}.{Guid.NewGuid():N}{PartSuffix}";
            try
            {
                string? problem = FetchTo(url, part, file, limit, progress).GetAwaiter().GetResult();
                if (problem is null)
                {
                    File.Move(part, path, overwrite: true);
                    // Checked after the rename too: the file under the final name is what later runs read.
                    problem = Check(path, file);
                    if (problem is null) return;
                }
                failure = Describe(dataset, url, file, problem);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                failure = Describe(dataset, url, file, e is OperationCanceledException ? $"no data for {Stall.TotalSeconds:0} s" : FirstLine(e));
            }
            finally
            {
                File.Delete(part);
            }
        }
        throw new BadInputException(failure ?? $"{dataset.Name}: no mirror to download {file.Name} from");
    }

    /// <summary>Writes the response to <paramref name="part"/>; null if it is the published file, else what is wrong with it.</summary>
    static async Task<string?> FetchTo(string url, string part, PublishedFile file, TimeSpan limit, Action<DownloadProgress>? progress)
    {
        using var whole = new CancellationTokenSource(limit);
        try { return await FetchTo(url, part, file, whole.Token, progress); }
        catch (OperationCanceledException) when (whole.IsCancellationRequested)
        {
            return $"not finished in {limit.TotalSeconds:0.#} s, the limit set by {TimeoutVariable}";
        }
    }

    static async Task<string?> FetchTo(string url, string part, PublishedFile file, CancellationToken deadline, Action<DownloadProgress>? progress)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        stall.CancelAfter(Stall);
        using var response = await Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, stall.Token);
        if (!response.IsSuccessStatusCode) return $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long received = 0;
        await using (var output = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None))
        await using (var input = await response.Content.ReadAsStreamAsync(stall.Token))
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await input.ReadAsync(buffer, stall.Token)) > 0)
            {
                stall.CancelAfter(Stall);
                sha256.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), stall.Token);
                received += read;
                if (received > file.Bytes) return $"more than {file.Bytes:N0} bytes";
                progress?.Invoke(new DownloadProgress(url, received, file.Bytes));
            }
        }
        if (received != file.Bytes) return $"got {received:N0} bytes";
        string digest = Convert.ToHexStringLower(sha256.GetHashAndReset());
        return digest == file.Sha256 ? null : $"SHA-256 {digest}";
    }

    /// <summary>Null if the file at <paramref name="path"/> is the published one (length and SHA-256), else what differs.</summary>
    public static string? Check(string path, PublishedFile file)
    {
        using var stream = File.OpenRead(path);
        if (stream.Length != file.Bytes) return $"{path} has {stream.Length:N0} bytes";
        string digest = Convert.ToHexStringLower(SHA256.HashData(stream));
        return digest == file.Sha256 ? null : $"{path} has SHA-256 {digest}";
    }

    static string Describe(Dataset dataset, string url, PublishedFile file, string problem) =>
        $"{dataset.Name}: download of {url} failed ({problem}); expected {file.Bytes:N0} bytes with SHA-256 {file.Sha256}";

    static string FirstLine(Exception e) => (e.InnerException is { } inner && e is HttpRequestException ? $"{e.Message} {inner.Message}" : e.Message)
        .Split('\n')[0].Trim();

    /// <summary>Temporary files of downloads that were abandoned (a writer killed mid-download): never a result, so removed.
    /// A part counts as abandoned only when no writer holds it locked and nothing was written to it for longer than a live
    /// download may stall; a process id in its name says nothing across containers, so none is trusted.</summary>
    static void RemoveAbandonedParts(string folder)
    {
        foreach (string part in Directory.GetFiles(folder, "*" + PartSuffix))
        {
            try
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(part) < 2 * Stall) continue;
                using var unheld = new FileStream(part, FileMode.Open, FileAccess.ReadWrite, FileShare.None); // fails while a writer holds it
                File.Delete(part);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // held, or gone already
        }
    }
}
