using Experiments.Records;
using FluentAssertions;
using NetArchTest.Rules;
using NUnit.Framework;

namespace Hypotheses.Foundation;

/// <summary>
/// The layering docs/ARCHITECTURE.md describes, read from the compiled code: a lower folder never uses a higher one, and
/// figures and reports are made from records alone, without the data or the trainer.
/// </summary>
[TestFixture, Category("Foundation")]
public class ArchitectureTests
{
    const string Root = "Experiments";

    static IEnumerable<TestCaseData> Rules() =>
    [
        Rule("Data", "Models", "Theory", "Diagnostics", "Records", "Training", "Workers", "Plotting", "Reporting", "Cli"),
        Rule("Models", "Theory", "Diagnostics", "Records", "Training", "Workers", "Plotting", "Reporting", "Cli"),
        Rule("Theory", "Data", "Diagnostics", "Records", "Training", "Workers", "Plotting", "Reporting", "Cli"),
        Rule("Records", "Theory", "Diagnostics", "Training", "Workers", "Plotting", "Reporting", "Cli"),
        Rule("Diagnostics", "Data", "Theory", "Training", "Workers", "Plotting", "Reporting", "Cli"),
        Rule("Training", "Workers", "Plotting", "Reporting", "Cli"),
        Rule("Workers", "Plotting", "Reporting", "Cli"),
        // Figures and reports may draw theory's curves (pure arithmetic: the phase diagram's ξ_c), never load data or train.
        Rule("Plotting", "Data", "Training", "Workers", "Reporting", "Cli"),
        Rule("Reporting", "Data", "Training", "Workers", "Cli"),
    ];

    static TestCaseData Rule(string folder, params string[] forbidden) =>
        new TestCaseData(folder, forbidden).SetArgDisplayNames(folder);

    [TestCaseSource(nameof(Rules))]
    public void A_folder_uses_only_the_folders_below_it(string folder, string[] forbidden)
    {
        var result = Types.InAssembly(typeof(RunRecord).Assembly)
            .That().ResideInNamespace($"{Root}.{folder}")
            .ShouldNot().HaveDependencyOnAny(forbidden.Select(f => $"{Root}.{f}").ToArray())
            .GetResult();

        (result.FailingTypeNames ?? []).Should().BeEmpty($"{folder} may not use {string.Join(", ", forbidden)}");
    }
}
