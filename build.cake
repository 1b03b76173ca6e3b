// Build, test and CI targets. `dotnet tool restore && dotnet cake --target=CI` is what CI runs.
using System.Xml.Linq;

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var solution = "./Experiments.sln";
var artifacts = Directory("./artifacts");
var testResults = artifacts + Directory("test-results");

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
    var counts = CountResults(testResults);
    var line = $"{counts.Passed} passed, {counts.Failed} failed" + (counts.Skipped > 0 ? $", {counts.Skipped} skipped" : "");
    System.IO.File.WriteAllText(testResults + File("summary.txt"), line + "\n");
    Information(line);
    if (failure != null) throw failure;
    if (counts.Passed == 0) throw new Exception("no test ran");
});

Task("CI")
    .Description("What CI runs: a clean build and the whole test suite.")
    .IsDependentOn("Clean")
    .IsDependentOn("Test");

RunTarget(target);

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
