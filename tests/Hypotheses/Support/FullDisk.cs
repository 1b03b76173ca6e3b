using System.Diagnostics;
using NUnit.Framework;

namespace Hypotheses.Support;

/// <summary>
/// A folder on a small tmpfs (a RAM file system of a fixed size): a job writing into it meets a full disk at whichever
/// write the size reaches. Mounting needs root; where it is not allowed the test says so and is skipped.
/// </summary>
public sealed class FullDisk : IDisposable
{
    readonly TempFolder temp = new("full-disk-");

    public string Path => temp.Path;

    public FullDisk(int kilobytes)
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("a size-limited tmpfs needs Linux");
        var (code, error) = Mount("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", temp.Path);
        if (code != 0) Assert.Ignore($"cannot mount a {kilobytes} KB tmpfs here (root is needed): {error}");
    }

    public void Dispose()
    {
        Mount("umount", temp.Path);
        temp.Dispose();
    }

    static (int Code, string Error) Mount(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error.Trim());
        }
        catch (System.ComponentModel.Win32Exception e) { return (-1, e.Message); }
    }
}
