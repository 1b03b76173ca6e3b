using Experiments.Records;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Experiments.Cli;

/// <summary>
/// A sweep file: a YAML (or JSON, which YAML reads too) mapping from spec options to a value or a list of values, e.g.
/// <c>depth: [5, 20]</c>, <c>seed: [1, 2, 3]</c>, <c>lr: 0.01</c>. Keys are the command line's option names without the
/// dashes, so a file and a command line make the same grid, checked by the same code. Errors name the file, the line and
/// the column.
/// </summary>
public static class SweepFile
{
    /// <summary>The command-line tokens the file stands for, and where in the file each option's values were written.</summary>
    public static (string[] Tokens, IReadOnlyDictionary<string, Mark> Places) Read(string path, IEnumerable<string> optionNames)
    {
        var known = optionNames.ToHashSet();
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new SpecException($"{path}:{e.Start.Line}:{e.Start.Column}: {e.Message}; expected a mapping of options to values, e.g. \"seed: [1, 2, 3]\"");
        }
        catch (InvalidOperationException) // YamlDotNet's scanner, at an unclosed flow list, gives no position
        {
            throw new SpecException($"{path}: not valid YAML or JSON (the parser stopped inside a value: an unclosed [ or quote?); " +
                                    "expected a mapping of options to values, e.g. \"seed: [1, 2, 3]\"");
        }
        if (stream.Documents.Count > 1) // a second document (after ---) would otherwise be ignored without a word
            throw new SpecException($"{path}:{stream.Documents[1].RootNode.Start.Line}: a second YAML document (after \"---\"); " +
                                    "expected one mapping of options to values: put every option in one document, or each grid in its own file");
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new SpecException($"{path}: expected a mapping of options to values, e.g. \"depth: [5, 20]\" on its own line");
        var tokens = new List<string>();
        var places = new Dictionary<string, Mark>();
        foreach (var (keyNode, valueNode) in root.Children)
        {
            string key = keyNode is YamlScalarNode { Value: { } k } ? k : "";
            string option = "--" + key;
            if (!known.Contains(option))
                throw new SpecException($"{path}:{keyNode.Start.Line}:{keyNode.Start.Column}: unknown option '{key}'" +
                                        (UnknownOption.Nearest(key, known.Select(o => o[2..])) is { } near ? $" (did you mean '{near}'?)" : "") +
                                        "; expected one of " + string.Join(", ", known.Select(o => o[2..])));
            var values = valueNode switch
            {
                YamlScalarNode scalar => [scalar.Value ?? ""],
                YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode) => list.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList(),
                _ => throw new SpecException($"{path}:{valueNode.Start.Line}:{valueNode.Start.Column}: {key}: expected a value or a list of values"),
            };
            if (values.Count == 0) throw new SpecException($"{path}:{valueNode.Start.Line}:{valueNode.Start.Column}: {key}: expected at least one value");
            // "--option=value": a value is a value even where it looks like an option ("--lr") or a response file ("@x").
            tokens.AddRange(values.Select(v => $"{option}={v}"));
            places[option] = valueNode.Start;
        }
        return (tokens.ToArray(), places);
    }
}
