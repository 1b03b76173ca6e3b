// Build, test and CI targets. `dotnet tool restore && dotnet cake --target=CI` is what CI runs.
using System.Xml.Linq;

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var solution = "./Experiments.sln";
var artifacts = Directory("./artifacts");
var testResults = artifacts + Directory("test-results");
var publishRoot = artifacts + Directory("publish");
var publishFolder = publishRoot + Directory("linux-x64"); // the Containerfile copies it from the build context publishRoot
const string ImageName = "gradient-hypotheses:latest";

// Kernel settings that change float32 results on any AVX2 or AVX-512 machine, as neither is such a CPU's default:
// libtorch's scalar kernels, and its AVX2 kernels with MKL's SSE2-compatible path. On an AMD EPYC (relu-d20, 2,000
// digits, seed 1) the float32 epoch-3 loss is 1.52479 by default, 1.48239 and 1.52567 under them. The float64
// snapshots must not move. .NET's own vector unit changes with them (no AVX2: the tracker's Vector256 sums run in
// software; no AVX-512), and the tests of those sums' order run again under each.
var alternateKernels = new (string Name, Dictionary<string, string> Environment)[]
{
    ("aten-default", new() { ["ATEN_CPU_CAPABILITY"] = "default", ["DOTNET_EnableAVX2"] = "0" }),
    ("aten-avx2-mkl-compatible", new() { ["ATEN_CPU_CAPABILITY"] = "avx2", ["MKL_CBWR"] = "COMPATIBLE", ["DOTNET_EnableAVX512"] = "0" }),
};

Task("Clean")
    .Description("Removes build output and test results (runs in artifacts/runs are kept).")
    .Does(() =>
{
    CleanDirectory(testResults);
    DotNetClean(solution, new DotNetCleanSettings { Configuration = configuration });
});

Task("Build")
    .Description("Restores and builds the solution.")
    .Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration });
});

Task("Test")
    .Description("Runs every test project; TRX results go to artifacts/test-results.")
    .IsDependentOn("Build")
    .Does(() =>
{
    CleanDirectory(testResults);
    Exception failure = null;
    try
    {
        DotNetTest(solution, new DotNetTestSettings
        {
            Configuration = configuration,
            NoBuild = true,
            Loggers = new[] { "trx" },
            ResultsDirectory = testResults,
        });
    }
    catch (Exception e) { failure = e; }
    var counts = WriteSummary();
    if (failure != null) throw failure;
    if (counts.Passed == 0) throw new Exception("no test ran");
});

Task("TestSnapshotsAlternateKernels")
    .Description("Runs the snapshot tests and the tracker's sums again under each alternate kernel setting; their results join summary.txt.")
    .IsDependentOn("Build")
    .Does(() =>
{
    Exception failure = null;
    foreach (var (name, environment) in alternateKernels)
    {
        Information($"Snapshot tests with {string.Join(" ", environment.Select(e => $"{e.Key}={e.Value}"))}");
        foreach (var (project, filter, prefix) in new[] { ("Snapshots", (string)null, "snapshots"), ("Hypotheses", "FullyQualifiedName~ReductionsTests", "reductions") })
        {
            var trx = testResults + File($"{prefix}-{name}.trx");
            if (FileExists(trx)) DeleteFile(trx);
            try
            {
                DotNetTest($"./tests/{project}/{project}.csproj", new DotNetTestSettings
                {
                    Configuration = configuration,
                    NoBuild = true,
                    Filter = filter,
                    Loggers = new[] { $"trx;LogFileName={trx.Path.GetFilename()}" },
                    ResultsDirectory = testResults,
                    EnvironmentVariables = environment,
                });
            }
            catch (Exception e) { failure ??= e; }
        }
    }
    WriteSummary();
    if (failure != null) throw failure;
});

Task("Experiments")
    .Description("Runs the main job: the classic experiment on the embedded sample (pass --epochs=N to change).")
    .IsDependentOn("Build")
    .Does(() =>
{
    RunMainJob(Argument("epochs", 10), samples: null);
});

Task("ExperimentsShort")
    .Description("A short main job (fewer samples and epochs, with --tensorboard) that fails if a file its dry run lists, or a configuration's event files, are missing.")
    .IsDependentOn("Build")
    .Does(() =>
{
    var expected = DryRunFiles(epochs: 2, samples: 2000); // the program's own list, so the figures are named in one place
    var run = RunMainJob(epochs: 2, samples: 2000, "--tensorboard");
    var missing = expected.Where(f => !FileExists(run.CombineWithFilePath(f))).ToList();
    foreach (var config in expected.Where(f => f.EndsWith("-table.txt")).Select(f => f[..^"-table.txt".Length]))
        foreach (var events in new[] { $"tensorboard/{config}", $"tensorboard/{config}/layer01" })
            if (GetFiles($"{run}/{events}/events.out.tfevents.*").Count == 0) missing.Add(events + "/events.out.tfevents.*");
    if (expected.Count == 0 || missing.Count > 0)
        throw new Exception($"main job did not write: {string.Join(", ", missing)} of the {expected.Count} files its dry run lists (in {run})");
    Information($"main job wrote all {expected.Count} files its dry run lists to {run}");
});

Task("AcceptSnapshots")
    .Description("Accepts every received snapshot in tests/Snapshots (received -> approved). Review them first.")
    .Does(() =>
{
    var received = GetFiles("./tests/Snapshots/**/*.received.*");
    foreach (var file in received)
    {
        var approved = file.GetDirectory().CombineWithFilePath(file.GetFilename().FullPath.Replace(".received.", ".approved."));
        if (FileExists(approved)) DeleteFile(approved);
        MoveFile(file, approved);
        Information($"accepted {approved.GetFilename()}");
    }
    Information(received.Count == 0 ? "no received snapshots to accept" : $"accepted {received.Count} snapshot(s); commit them with the change that caused them");
});

Task("Stress")
    .Description("Runs the main job N times (--runs=N, default 20) and the hypothesis suite M times (--suites=M, default 5); counts failures.")
    .IsDependentOn("Build")
    .Does(() =>
{
    int runs = Argument("runs", 20), suites = Argument("suites", 5);
    var failures = new List<string>();
    for (int i = 1; i <= runs; i++)
    {
        try { RunMainJob(Argument("epochs", 10), samples: null); }
        catch (Exception e) { failures.Add($"main job {i}: {e.Message}"); }
    }
    for (int i = 1; i <= suites; i++)
    {
        try { DotNetTest("./tests/Hypotheses/Hypotheses.csproj", new DotNetTestSettings { Configuration = configuration, NoBuild = true }); }
        catch (Exception e) { failures.Add($"hypothesis suite {i}: {e.Message}"); }
    }
    foreach (var failure in failures) Error(failure);
    Information($"stress: main job {runs - failures.Count(f => f.StartsWith("main"))} of {runs} succeeded, " +
                $"hypothesis suite {suites - failures.Count(f => f.StartsWith("hypothesis"))} of {suites} green");
    if (failures.Count > 0) throw new Exception($"{failures.Count} of {runs + suites} stress runs failed");
});

Task("Publish")
    .Description("Publishes the program for linux-x64 with its own runtime into artifacts/publish/linux-x64 (no SDK or .NET needed to run it).")
    .Does(() =>
{
    CleanDirectory(publishFolder); // no file of an older publish stays behind
    DotNetPublish("./src/Experiments/Experiments.csproj", new DotNetPublishSettings
    {
        Configuration = configuration,
        Runtime = "linux-x64",
        OutputDirectory = publishFolder,
    });
    long bytes = GetFiles($"{publishFolder}/**/*").Sum(f => new System.IO.FileInfo(f.FullPath).Length);
    Information($"published {bytes / 1_000_000} MB to {publishFolder}; run {publishFolder}/Experiments");
});

Task("Container")
    .Description("Builds the image gradient-hypotheses:latest with podman (Containerfile) and runs its short main job writing to a mounted folder, artifacts/container-run. --base-image=IMAGE to build on an image of a registry instead of a Debian 12 base made with debootstrap; --image-archive=FILE also saves the image.")
    .IsDependentOn("Publish")
    .Does(() =>
{
    string baseImage = Argument("base-image", "");
    if (baseImage.Length == 0) baseImage = LocalDebianBase();
    Podman($"build --file Containerfile --tag {ImageName} --build-arg BASE_IMAGE={baseImage} {publishRoot}");
    string archive = Argument("image-archive", "");
    if (archive.Length > 0) Podman($"save --output {MakeAbsolute(File(archive))} {ImageName}");

    var mounted = artifacts + Directory("container-run");
    CleanDirectory(mounted);
    Podman($"run --rm --network none --volume {MakeAbsolute(mounted)}:/work {ImageName} --samples 200 --epochs 1");
    var latest = mounted + File("artifacts/runs/latest.txt");
    var records = FileExists(latest)
        ? GetFiles($"{mounted}/artifacts/runs/{System.IO.File.ReadAllText(latest.Path.FullPath).Trim()}/*.json").Count
        : 0;
    if (records == 0) throw new Exception($"the image's main job wrote no record into the mounted folder {mounted}");
    Information($"{ImageName}: the main job wrote {records} records into the mounted folder {mounted}/artifacts/runs");
});

Task("CI")
    .Description("What CI runs: a clean build, the whole test suite, the snapshot tests under alternate kernels and a short main job.")
    .IsDependentOn("Clean")
    .IsDependentOn("ExperimentsShort")
    .IsDependentOn("Test")
    .IsDependentOn("TestSnapshotsAlternateKernels");

RunTarget(target);

string JobArguments(int epochs, int? samples) => $"--epochs {epochs}" + (samples is int n ? $" --samples {n}" : "");

DirectoryPath RunMainJob(int epochs, int? samples, string options = "")
{
    var arguments = JobArguments(epochs, samples) + $" --out {artifacts}" + (options.Length > 0 ? " " + options : "");
    DotNetRun("./src/Experiments/Experiments.csproj", arguments, new DotNetRunSettings { Configuration = configuration, NoBuild = true });
    var runId = System.IO.File.ReadAllText(artifacts + File("runs/latest.txt")).Trim();
    return artifacts + Directory("runs") + Directory(runId);
}

/// <summary>The files the main job's `--dry-run` says a run of these settings writes.</summary>
List<string> DryRunFiles(int epochs, int? samples)
{
    var settings = new ProcessSettings
    {
        Arguments = $"run --project ./src/Experiments/Experiments.csproj --configuration {configuration} --no-build -- --dry-run {JobArguments(epochs, samples)}",
        RedirectStandardOutput = true,
    };
    int exitCode = StartProcess("dotnet", settings, out IEnumerable<string> output);
    if (exitCode != 0) throw new Exception($"the dry run exited with {exitCode}");
    return output.SkipWhile(line => !line.StartsWith("Files of the run folder")).Skip(1)
        .Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
}

/// <summary>Writes the closing line `N passed, N failed` over every TRX file in the results folder.</summary>
(int Passed, int Failed, int Skipped) WriteSummary()
{
    var counts = CountResults(testResults);
    var line = $"{counts.Passed} passed, {counts.Failed} failed" + (counts.Skipped > 0 ? $", {counts.Skipped} skipped" : "");
    System.IO.File.WriteAllText(testResults + File("summary.txt"), line + "\n");
    Information(line);
    return counts;
}

(int Passed, int Failed, int Skipped) CountResults(DirectoryPath folder)
{
    int passed = 0, failed = 0, skipped = 0;
    foreach (var trx in GetFiles(folder.FullPath + "/*.trx"))
    {
        var counters = XDocument.Load(trx.FullPath).Descendants().First(e => e.Name.LocalName == "Counters");
        int Count(string name) => int.Parse(counters.Attribute(name)?.Value ?? "0");
        passed += Count("passed");
        failed += Count("failed") + Count("error") + Count("timeout") + Count("aborted");
        skipped += Count("notExecuted");
    }
    return (passed, failed, skipped);
}

void Podman(string arguments)
{
    int exitCode = StartProcess("podman", new ProcessSettings { Arguments = arguments });
    if (exitCode != 0) throw new Exception($"podman {arguments} exited with {exitCode}");
}

/// <summary>A Debian 12 base image made from Debian's packages (no image registry needed), once: minbase has
/// libstdc++; ca-certificates and libssl3 serve --data downloads.</summary>
string LocalDebianBase()
{
    const string image = "localhost/gradient-hypotheses-base:bookworm";
    if (StartProcess("podman", new ProcessSettings { Arguments = $"image exists {image}" }) == 0) return image;
    var rootfs = Directory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gradient-hypotheses-rootfs-{Guid.NewGuid():N}"));
    var tarball = File(rootfs.Path.FullPath + ".tar");
    try
    {
        string mirror = Argument("debian-mirror", "http://deb.debian.org/debian");
        if (StartProcess("debootstrap", new ProcessSettings { Arguments = $"--variant=minbase --include=ca-certificates,libssl3 bookworm {rootfs} {mirror}" }) != 0)
            throw new Exception("debootstrap failed (it needs root and Debian's debootstrap package), or pass --base-image=IMAGE");
        if (StartProcess("tar", new ProcessSettings { Arguments = $"--create --file {tarball} --directory {rootfs} ." }) != 0)
            throw new Exception($"tar of {rootfs} failed");
        Podman($"import {tarball} {image}");
        return image;
    }
    finally
    {
        if (DirectoryExists(rootfs)) DeleteDirectory(rootfs, new DeleteDirectorySettings { Recursive = true, Force = true });
        if (FileExists(tarball)) DeleteFile(tarball);
    }
}
