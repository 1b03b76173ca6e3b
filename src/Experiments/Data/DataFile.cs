using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Experiments.Data;

/// <summary>
/// Opens a data file for reading, refusing what is not a regular file with data. Opening a FIFO for reading blocks
/// until a writer appears, and Ctrl+C cannot end it, so on Unix the file is opened non-blocking and checked before
/// anything is read: a pipe, socket or terminal cannot seek; a device such as /dev/zero reports no length.
/// </summary>
public static class DataFile
{
    public static Stream OpenRead(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        if (OperatingSystem.IsWindows()) return File.OpenRead(path);

        int descriptor = Open(path, NonBlocking);
        if (descriptor < 0)
            throw new BadInputException($"{path}: cannot open it ({Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}); expected a readable IDX file");
        var stream = new FileStream(new SafeFileHandle(descriptor, ownsHandle: true), FileAccess.Read);
        if (stream.CanSeek && stream.Length > 0) return stream;
        string what = stream.CanSeek ? "empty, or a device" : "a pipe, socket or terminal";
        stream.Dispose();
        throw new IdxFormatException($"{path}: not a regular file with data ({what}); expected an IDX file");
    }

    // O_NONBLOCK: 0x800 on Linux (x86-64, arm64, riscv), 0x4 on macOS and the BSDs. It changes nothing for regular files.
    static int NonBlocking => OperatingSystem.IsLinux() ? 0x800 : 0x4;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    static extern int Open(string path, int flags);
}
