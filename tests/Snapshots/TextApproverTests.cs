using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Snapshots;

/// <summary>Tables match whatever line endings a checkout or the platform gives them, and still fail on one changed digit.</summary>
[TestFixture]
public class TextApproverTests
{
    TempFolder temp = null!;

    [SetUp] public void CreateFolder() => temp = new TempFolder("text-approver-");
    [TearDown] public void DeleteFolder() => temp.Dispose();

    [TestCase("\r\n", "\n", Description = "a Windows checkout (CRLF) of an approved table, received with LF")]
    [TestCase("\n", "\r\n", Description = "an LF approved table, received built with Windows' Environment.NewLine")]
    public void Line_endings_do_not_matter(string approvedEnding, string receivedEnding)
    {
        string table = AnApprovedTable();
        var approver = Approver(approved: WithEndings(table, approvedEnding), received: WithEndings(table, receivedEnding));

        approver.Approve().Should().BeTrue();
        File.Exists(approver.ReceivedPath).Should().BeFalse();
    }

    [Test]
    public void One_changed_digit_fails_and_names_the_line()
    {
        string[] lines = AnApprovedTable().ReplaceLineEndings("\n").Split('\n');
        int changed = Array.FindIndex(lines, l => l.Contains("e-01"));
        string[] received = [.. lines];
        received[changed] = ChangeOneDigit(lines[changed]);
        var approver = Approver(approved: WithEndings(string.Join("\n", lines), "\r\n"), received: string.Join("\n", received));

        approver.Approve().Should().BeFalse();
        approver.Invoking(a => a.Fail()).Should().Throw<SnapshotMismatchException>()
            .WithMessage($"*in 1 of * lines, first line {changed + 1}:*");
        File.ReadAllText(approver.ReceivedPath).Should().NotContain("\r", "received tables are written with LF, as approved ones are kept");
    }

    TextApprover Approver(string approved, string received)
    {
        File.WriteAllText(Path.Combine(temp.Path, "table.approved.txt"), approved);
        return new TextApprover(received, new FixedNamer(temp.Path, "table"));
    }

    static string AnApprovedTable() => File.ReadAllText(
        Directory.EnumerateFiles(Snapshot.ApprovedFolder, $"*-table.approved.{TextApprover.Extension}").Order().First());

    static string WithEndings(string text, string ending) => text.ReplaceLineEndings(ending);

    static string ChangeOneDigit(string line)
    {
        int digit = line.IndexOf("e-01", StringComparison.Ordinal) - 1;
        return line[..digit] + (line[digit] == '9' ? '8' : (char)(line[digit] + 1)) + line[(digit + 1)..];
    }
}
