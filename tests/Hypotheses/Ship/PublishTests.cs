using System.Runtime.InteropServices;
using FluentAssertions;
using Hypotheses.Reliability;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Ship;

/// <summary>
/// The README's publish command (section "Publishing and containers"): a folder for linux-x64 that runs the main job
/// where no SDK or .NET is installed, from any working directory. Slow: a publish (about 600 MB) and a short job,
/// about a minute on 2 cores.
/// </summary>
[TestFixture, Category("Ship"), NonParallelizable] // builds and publishes the project: one at a time, and alone
public class PublishTests
{
    static readonly string[] ShortMainJob = ["--samples", "200", "--epochs", "1"];

    [Test(Description = "The published folder holds only linux-x64 native libraries and its program runs the short main job from another directory, with no dotnet on PATH")]
    public void The_published_program_runs_the_main_job_from_another_directory()
    {
        // It once held every platform's libtorch (1.2 GB), and its libLibTorchSharp.so asked for GLIBCXX_3.4.32, which
        // Debian 12 lacks: every run failed with TypeInitializationException.
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
            Assert.Ignore("publishes for linux-x64 and runs the result");
        using var temp = new TempFolder("publish-");
        string published = Path.Combine(temp.Path, "published");
        string elsewhere = Directory.CreateDirectory(Path.Combine(temp.Path, "elsewhere")).FullName;

        ShipProcess.Dotnet("publish", ShipProcess.Project, "-c", ShipProcess.Configuration, "-r", "linux-x64", "-o", published);

        // As on a machine without .NET: nothing on PATH, no DOTNET_ROOT, no NuGet cache (TorchSharp's fallback). The program
        // and its workers run on the runtime in the folder, and find the embedded data and the fonts whatever the working directory.
        var environment = new Dictionary<string, string>(NativeLibraryTests.WithoutTorchSharpFallback(temp.Path))
        {
            ["PATH"] = Path.Combine(temp.Path, "nothing-on-path"), ["DOTNET_ROOT"] = Path.Combine(temp.Path, "no-dotnet"),
        };
        string program = Path.Combine(published, "Experiments");
        var (dryRunExit, dryRun) = ShipProcess.Run(program, ["--dry-run", .. ShortMainJob], elsewhere, TimeSpan.FromMinutes(2), environment);
        dryRunExit.Should().Be(0, dryRun);
        var listed = dryRun.Split('\n').SkipWhile(l => !l.StartsWith("Files of the run folder")).Skip(1)
            .Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

        var (exitCode, output) = ShipProcess.Run(program, ShortMainJob, elsewhere, TimeSpan.FromMinutes(10), environment);

        exitCode.Should().Be(0, output);
        string run = CliRun.RunFolderOf(Path.Combine(elsewhere, "artifacts"));
        listed.Should().Contain(f => f.EndsWith(".json")).And.Contain(f => f.EndsWith(".png"));
        listed.Where(f => !File.Exists(Path.Combine(run, f))).Should().BeEmpty("the job writes every file its dry run lists");

        var files = Directory.EnumerateFiles(published, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(published, f)).ToList();
        files.Should().Contain(["Experiments", "libcoreclr.so", "libLibTorchSharp.so", "libtorch_cpu.so"], "the program, its runtime and libtorch for linux-x64");
        files.Should().NotContain(f => f.StartsWith("runtimes") || f.EndsWith(".dylib") || f.EndsWith("torch_cpu.dll"), "no other platform's native libraries");
    }
}
