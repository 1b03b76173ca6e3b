using Experiments.Records;

namespace Experiments.Cli;

/// <summary>Options that take lists make grids: a value given twice would train (or print) the same row twice.</summary>
public static class ListValues
{
    /// <summary>The values, if each appears once; otherwise a <see cref="SpecException"/> naming the option and the repeated value.</summary>
    public static IReadOnlyList<T> Distinct<T>(string option, IReadOnlyList<T> values, Func<T, string>? name = null)
    {
        name ??= v => SpecField.Show(v);
        var repeated = values.GroupBy(v => v).FirstOrDefault(g => g.Count() > 1);
        if (repeated is null) return values;
        throw new SpecException($"{option} {string.Join(" ", values.Select(name))}: expected each value once ({name(repeated.Key)} is repeated)");
    }
}
