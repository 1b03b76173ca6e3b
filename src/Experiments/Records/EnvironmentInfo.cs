using System.Runtime.InteropServices;

namespace Experiments.Records;

/// <summary>
/// Where a run ran: what a reader needs to judge whether two records can be compared bit for bit. The two kernel
/// settings change float32 results (libtorch's vector width, MKL's code path); null means the machine's default. A
/// setting libtorch or MKL did not apply is recorded as such, with what they used instead (<see cref="AppliedKernels"/>).
/// </summary>
public sealed record EnvironmentInfo(string TorchSharp, string LibTorch, int Threads, string Os, string Cpu,
    string Runtime, string? MklCbwr, string? AtenCpuCapability = null)
{
    public static EnvironmentInfo Capture(int threads) => new(
        typeof(global::TorchSharp.torch).Assembly.GetName().Version?.ToString(3) ?? "unknown",
        global::TorchSharp.torch.__version__, // loads libtorch, which the two settings below are read back from
        threads,
        RuntimeInformation.OSDescription,
        CpuModel(),
        RuntimeInformation.FrameworkDescription,
        AppliedKernels.Mkl(System.Environment.GetEnvironmentVariable("MKL_CBWR")),
        AppliedKernels.Aten(System.Environment.GetEnvironmentVariable("ATEN_CPU_CAPABILITY")));

    static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        string? line = File.Exists(cpuInfo)
            ? File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
            : null;
        string model = line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        return $"{model} ({System.Environment.ProcessorCount} logical cores)";
    }
}
