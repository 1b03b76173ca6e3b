using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Experiments.Records;

/// <summary>
/// The kernel settings as libtorch and MKL applied them, not as the environment spelled them. libtorch ignores an
/// ATEN_CPU_CAPABILITY it does not know ("AVX2", "bogus": it warns and detects the CPU's own), and MKL runs AUTO for an
/// MKL_CBWR it does not take ("bogus", "compatible"); such a value is recorded with what was used instead. Both are read
/// back from libtorch's own library (at::get_cpu_capability, MKL's cbwr_get); where that library cannot be read (another
/// platform's build), the value is recorded as given.
/// </summary>
public static class AppliedKernels
{
    const string Library = "libtorch_cpu";

    /// <summary>The ATEN_CPU_CAPABILITY value, or it with "(invalid, ignored by libtorch, which uses AVX2)".</summary>
    public static string? Aten(string? given)
    {
        if (given is null || Capability.Value is not { } applied) return given;
        return applied == given.ToUpperInvariant() && given == given.ToLowerInvariant()
            ? given : $"{given} (invalid, ignored by libtorch, which uses {applied})";
    }

    /// <summary>The MKL_CBWR value, or it with "(not applied: MKL uses AUTO)".</summary>
    public static string? Mkl(string? given)
    {
        if (given is null || MklBranch.Value is not { } applied) return given;
        return applied == given.Trim() ? given : $"{given} (not applied: MKL uses {applied})";
    }

    /// <summary>libtorch's CPU capability as it reports it ("AVX2", "AVX512", "DEFAULT").</summary>
    static readonly Lazy<string?> Capability = new(() =>
    {
        // std::string at::get_cpu_capability() (libstdc++, x86-64 ABI): the caller passes the 32 bytes of the result.
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64
            || Export("_ZN2at18get_cpu_capabilityB5cxx11Ev") is not { } function) return null;
        var result = Marshal.AllocHGlobal(32);
        try
        {
            Marshal.GetDelegateForFunctionPointer<StringResult>(function)(result);
            long length = Marshal.ReadInt64(result, 8);
            return length is > 0 and < 16 ? Marshal.PtrToStringAnsi(Marshal.ReadIntPtr(result), (int)length) : null; // short: held in place
        }
        finally { Marshal.FreeHGlobal(result); }
    });

    /// <summary>MKL's code path as it reports it (mkl_cbwr_get(MKL_CBWR_ALL)): "COMPATIBLE", "AUTO,STRICT"; null when off.</summary>
    static readonly Lazy<string?> MklBranch = new(() =>
    {
        if (Export("mkl_serv_cbwr_get") is not { } function) return null;
        int settings = Marshal.GetDelegateForFunctionPointer<IntResult>(function)(-1);
        const int strict = 0x10000;
        string? branch = (settings & ~strict) switch
        {
            0 or 1 => null, 2 => "AUTO", 3 => "COMPATIBLE", 4 => "SSE2", 6 => "SSSE3", 7 => "SSE4_1", 8 => "SSE4_2", 9 => "AVX",
            10 => "AVX2", 11 => "AVX512_MIC", 12 => "AVX512", 13 => "AVX512_MIC_E1", 14 => "AVX512_E1", var other => $"branch {other}",
        };
        return branch is null ? "(off)" : (settings & strict) != 0 ? branch + ",STRICT" : branch;
    });

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate IntPtr StringResult(IntPtr result);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate int IntResult(int option);

    /// <summary>A function of the libtorch library this process loaded, or null.</summary>
    static IntPtr? Export(string name)
    {
        using var process = Process.GetCurrentProcess();
        string? path = process.Modules.Cast<ProcessModule>().FirstOrDefault(m => m.ModuleName.StartsWith(Library + ".", StringComparison.Ordinal))?.FileName;
        return path != null && NativeLibrary.TryLoad(path, out var handle) && NativeLibrary.TryGetExport(handle, name, out var function)
            ? function : null;
    }
}
