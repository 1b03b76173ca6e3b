using System.Text.RegularExpressions;
using Experiments.Records;
using FluentAssertions;
using Hypotheses.Vocabulary;
using NetArchTest.Rules;
using NUnit.Framework;

namespace Hypotheses.Foundation;

/// <summary>
/// The table "Folders and what they may use" of docs/ARCHITECTURE.md, checked in full against the compiled code: every
/// folder of the program has a row, and uses only the folders its row names. The table is read from the page itself,
/// so the page and the code cannot drift apart.
/// </summary>
[TestFixture, Category("Foundation")]
public class ArchitectureTests
{
    const string Root = "Experiments";
    static readonly IReadOnlyList<string> Folders = typeof(RunRecord).Assembly.GetTypes()
        .Select(t => t.Namespace?.Split('.') is [Root, var folder, ..] ? folder : null).OfType<string>().Distinct().Order().ToList();

    /// <summary>Each documented folder and the folders it may use ("everything" for all, "nothing else here" for none).</summary>
    static Dictionary<string, HashSet<string>> Documented()
    {
        string page = File.ReadAllText(Path.Combine(Artifacts.Root ?? throw new InconclusiveException("not in a checkout"), "docs", "ARCHITECTURE.md"));
        string table = page[page.IndexOf("## Folders and what they may use", StringComparison.Ordinal)..];
        var rows = new Dictionary<string, HashSet<string>>();
        foreach (string line in table.Split('\n').Skip(1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2))
        {
            string[] cells = line.Split('|');
            var folders = Regex.Matches(cells[1], "`([A-Za-z]+)`").Select(m => m.Groups[1].Value);
            var allowed = cells[3].Contains("everything") ? Folders.ToHashSet()
                : Folders.Where(f => Regex.IsMatch(cells[3], $@"\b{f}\b")).ToHashSet();
            foreach (string folder in folders) rows[folder] = allowed;
        }
        return rows;
    }

    [Test]
    public void Every_folder_has_a_row() =>
        Documented().Keys.Should().BeEquivalentTo(Folders, "docs/ARCHITECTURE.md's table names every folder of the program");

    [TestCaseSource(nameof(Folders))]
    public void A_folder_uses_only_what_its_row_allows(string folder)
    {
        var allowed = Documented()[folder];
        string[] forbidden = [.. Folders.Where(f => f != folder && !allowed.Contains(f)).Select(f => $"{Root}.{f}")];
        if (forbidden.Length == 0) return; // "everything"
        var result = Types.InAssembly(typeof(RunRecord).Assembly)
            .That().ResideInNamespace($"{Root}.{folder}")
            .ShouldNot().HaveDependencyOnAny(forbidden)
            .GetResult();
        (result.FailingTypeNames ?? []).Should().BeEmpty($"{folder} may use only {string.Join(", ", allowed.DefaultIfEmpty("nothing else"))}");
    }
}
