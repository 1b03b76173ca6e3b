using System.Diagnostics;
using System.Globalization;
using Experiments.Data;

namespace Experiments.Cli;

/// <summary>
/// Download progress on standard error: in a terminal, one line redrawn a few times a second with the share and the
/// speed; in a log, a line when a file starts and at each quarter. Standard output stays for the job's own lines.
/// </summary>
public sealed class DownloadDisplay
{
    const int RedrawMilliseconds = 250;
    readonly bool terminal = !Console.IsErrorRedirected;
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly Stopwatch sinceDrawn = Stopwatch.StartNew();
    string? url;
    int quarter;

    /// <summary>Downloads what the specs' named data sets lack, before anything else reads them.</summary>
    public static void EnsureDownloaded(IEnumerable<string> data)
    {
        foreach (var dataset in data.Distinct().Select(Datasets.Find).OfType<Dataset>())
        {
            var display = new DownloadDisplay();
            Download.Ensure(dataset, Datasets.CacheRoot(), display.Show, display.Warn);
        }
    }

    void Show(DownloadProgress progress)
    {
        if (progress.Url != url)
        {
            if (url != null && terminal) Console.Error.WriteLine();
            url = progress.Url;
            quarter = 0;
            clock.Restart();
            Console.Error.WriteLine($"downloading {url} ({progress.Total.ToString("N0", CultureInfo.InvariantCulture)} bytes)");
        }
        double share = (double)progress.Received / progress.Total;
        if (terminal)
        {
            if (sinceDrawn.ElapsedMilliseconds < RedrawMilliseconds && progress.Received < progress.Total) return;
            sinceDrawn.Restart();
            double megabytesPerSecond = progress.Received / 1e6 / Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
            Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r  {share,7:P1}  {megabytesPerSecond:0.0} MB/s   "));
            if (progress.Received == progress.Total) Console.Error.WriteLine();
        }
        else if ((int)(share * 4) > quarter)
        {
            quarter = (int)(share * 4);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {quarter * 25}%"));
        }
    }

    void Warn(string message) => Console.Error.WriteLine($"{(terminal && url != null ? "\n" : "")}warning: {message}");
}
