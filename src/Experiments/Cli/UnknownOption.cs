using System.CommandLine;
using System.CommandLine.Parsing;

namespace Experiments.Cli;

/// <summary>
/// Finds a word that looks like an option (<c>--name</c>) but names none of the command's: System.CommandLine reads such a
/// word after a list option as one more value, and blames the list. The message names the word and the nearest option.
/// </summary>
public static class UnknownOption
{
    public static string? Find(IReadOnlyList<string> args, ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var known = command.Options.Concat(AncestorsRecursive(parsed.CommandResult))
            .SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (string arg in args)
        {
            if (arg == "--") break; // what follows is values
            string word = arg.Split('=', 2)[0];
            if (!word.StartsWith("--", StringComparison.Ordinal) || word.Length < 3 || known.Contains(word)) continue;
            return $"{word}: unknown option" + (Nearest(word, known.Where(k => k.StartsWith("--", StringComparison.Ordinal))) is { } near
                ? $" (did you mean {near}?)" : "");
        }
        return null;
    }

    /// <summary>The known name nearest <paramref name="word"/>, if at most two edits away (a typo, not another word).</summary>
    public static string? Nearest(string word, IEnumerable<string> known) =>
        known.MinBy(k => Distance(k, word)) is { } near && Distance(near, word) <= 2 ? near : null;

    /// <summary>Options of the commands above that apply below them (recursive ones, such as --verbose and --help).</summary>
    static IEnumerable<Option> AncestorsRecursive(CommandResult result)
    {
        for (var parent = result.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
            foreach (var option in parent.Command.Options.Where(o => o.Recursive)) yield return option;
    }

    /// <summary>Edit distance (insertions, deletions, substitutions).</summary>
    static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
