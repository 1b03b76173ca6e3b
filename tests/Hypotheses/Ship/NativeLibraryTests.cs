using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Ship;

/// <summary>
/// TorchSharp's native library in the build output (build/LibTorchSharpCompat.targets): a build that changes nothing
/// leaves it alone, so workers started meanwhile load it; and a worker that cannot load it says why.
/// </summary>
[TestFixture, Category("Ship"), NonParallelizable] // builds and publishes the project: one at a time, and alone
public class NativeLibraryTests
{
    static readonly string[] ShortJob = ["--samples", "200", "--epochs", "1", "--depth", "2", "--width", "16"];

    [Test(Description = "Short jobs (two worker starts each) run while the project is built again and again: every run trains, and the unchanged library is not replaced")]
    public void Workers_start_while_the_project_builds()
    {
        // Each build once linked the package's unmarked library into the output and marked a copy afterwards: a worker
        // loading it in between failed with TypeInitializationException (2 of 40 starts beside a build loop).
        string[] build = ["build", ShipProcess.Project, "-c", ShipProcess.Configuration, "--disable-build-servers"];
        ShipProcess.Dotnet(build); // up to date before the loop, so the loop's builds change nothing
        string library = Path.Combine(ShipProcess.BuildOutput, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var written = File.GetLastWriteTimeUtc(library);

        const int Builds = 4;
        var builds = Task.Run(() => { for (int i = 0; i < Builds; i++) ShipProcess.Dotnet(build); });
        using var temp = new TempFolder("build-loop-");
        var environment = WithoutTorchSharpFallback(temp.Path);
        var failures = new List<string>();
        int runs = 0;
        do
        {
            string output = Path.Combine(temp.Path, $"run{++runs}");
            var (exitCode, text) = ShipProcess.Run("dotnet", [Path.Combine(ShipProcess.BuildOutput, "Experiments.dll"), .. ShortJob, "--out", output],
                temp.Path, TimeSpan.FromMinutes(3), environment);
            if (exitCode != 0) failures.Add($"run {runs}, exit code {exitCode}: " + string.Join(" | ", text.Split('\n').Where(l => l.StartsWith("error:"))));
        } while (!builds.IsCompleted);
        builds.GetAwaiter().GetResult(); // a failed build fails the test with its output

        failures.Should().BeEmpty($"{runs} short jobs ({2 * runs} worker starts) ran beside {Builds} builds");
        File.GetLastWriteTimeUtc(library).Should().Be(written, "a build that changes nothing leaves the library as it was");
    }

    [Test(Description = "A worker whose TorchSharp cannot load its native library names the loader's reason in one line, without --verbose")]
    public void A_failed_TorchSharp_load_names_the_loaders_reason()
    {
        // It once said only "TypeInitializationException: The type initializer for 'TorchSharp.torch' threw an exception."
        if (!OperatingSystem.IsLinux()) Assert.Ignore("the test makes libLibTorchSharp.so unloadable, the library Linux loads");
        using var temp = new TempFolder("unloadable-");
        string program = Path.Combine(temp.Path, "program");
        string library = CopyProgramWithUnloadableLibrary(program);
        var environment = WithoutTorchSharpFallback(temp.Path);

        var (exitCode, output) = ShipProcess.Run("dotnet", [Path.Combine(program, "Experiments.dll"), .. ShortJob, "--out", Path.Combine(temp.Path, "out")],
            temp.Path, TimeSpan.FromMinutes(2), environment);

        exitCode.Should().Be(3, output);
        var failures = output.Split('\n').Where(l => l.StartsWith("error: run ")).ToList();
        failures.Should().HaveCount(2, output).And.AllSatisfy(line =>
            line.Should().Contain("TorchSharp could not load its native library: ").And.Contain(library, "the loader's own message names the file"));
        output.Should().NotContain("   at ", "one line, no stack trace");
    }

    /// <summary>
    /// When the program's own library fails to load, TorchSharp copies libtorch out of the NuGet cache into a `cpu`
    /// folder beside the program (480 MB) and loads that copy, which hides the failure or not depending on what it
    /// finds there. With no package cache, the program's own library is the one loaded.
    /// </summary>
    internal static Dictionary<string, string> WithoutTorchSharpFallback(string temp) => new() { ["NUGET_PACKAGES"] = Path.Combine(temp, "no-packages") };

    /// <summary>The tests' copy of the program in <paramref name="folder"/> (links to its files), with a libLibTorchSharp.so
    /// that is not a library; returns that file's path.</summary>
    static string CopyProgramWithUnloadableLibrary(string folder)
    {
        string source = AppContext.BaseDirectory, unloadable = "";
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(folder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            string name = Path.GetFileName(file);
            if (name == "libLibTorchSharp.so") File.WriteAllText(unloadable = target, "not a shared library\n");
            else if (name.StartsWith("Experiments.", StringComparison.Ordinal)) File.Copy(file, target); // the host finds the app's folder through links
            else File.CreateSymbolicLink(target, file);
        }
        return unloadable.Length > 0 ? unloadable : throw new FileNotFoundException($"no libLibTorchSharp.so under {source}");
    }
}
