using System.Text;
using ApprovalTests.Core;

namespace Snapshots;

/// <summary>
/// Tables: compared line by line, so that a checkout with CRLF line endings (Windows) or text built with
/// Environment.NewLine matches the LF approved file. A failure counts the differing lines and shows the first.
/// </summary>
public sealed class TextApprover(string text, IApprovalNamer namer) : SnapshotApprover(namer, Extension)
{
    public const string Extension = "txt";

    protected override string? Difference(string approvedPath)
    {
        string[] approved = Lines(File.ReadAllText(approvedPath)), received = Lines(text);
        var differing = Enumerable.Range(0, Math.Max(approved.Length, received.Length))
            .Where(i => Line(approved, i) != Line(received, i)).ToList();
        if (differing.Count == 0) return null;
        int first = differing[0];
        return $"table differs from {Path.GetFileName(approvedPath)} in {differing.Count} of {approved.Length} lines, first line {first + 1}:\n" +
               $"    approved: {Line(approved, first)}\n    received: {Line(received, first)}";
    }

    // LF and a byte-order mark, as ApprovalTests writes text, so that accepted files keep their bytes.
    protected override void WriteReceived(string path) =>
        File.WriteAllText(path, text.ReplaceLineEndings("\n"), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

    /// <summary>The lines, whichever line endings separate them, without a byte-order mark.</summary>
    static string[] Lines(string content)
    {
        var lines = new List<string>();
        using var reader = new StringReader(content.TrimStart('\uFEFF'));
        while (reader.ReadLine() is { } line) lines.Add(line);
        return [.. lines];
    }

    static string Line(string[] lines, int index) => index < lines.Length ? lines[index] : "(end of file)";
}
