using System.Runtime.InteropServices;

namespace Experiments.Workers;

/// <summary>
/// Keeps freed native memory in the process. glibc returns every block above its mmap threshold (128 KiB to 32 MiB) to
/// the system when freed, so a training step's megabyte-sized temporaries are mapped again and page-faulted in on every
/// step; on a virtual machine those faults cost more than the arithmetic (measured: a sixth of a tracked step's time).
/// A higher threshold serves them from the heap, as jemalloc or tcmalloc would.
/// </summary>
public static class Allocator
{
    const int MmapThreshold = -3, TrimThreshold = -1; // glibc's M_MMAP_THRESHOLD and M_TRIM_THRESHOLD
    const int Megabytes = 1024 * 1024;

    /// <summary>Call once at start, before training; does nothing off glibc.</summary>
    public static void KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            mallopt(MmapThreshold, 512 * Megabytes);
            mallopt(TrimThreshold, 1024 * Megabytes);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { } // musl and others: their default
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int mallopt(int parameter, int value);
}
