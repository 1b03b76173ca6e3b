using System.CommandLine;
using Experiments.Records;

namespace Experiments.Cli;

/// <summary>
/// The command-line options that make experiment specs, one per row of <see cref="SpecFields"/>. An option of a grid field
/// takes a list; the specs are every combination, in the rows' order (the data first, the seed last, so a configuration's seeds
/// sit together). A value that applies to only some combinations (σ_w² to --init normal, momentum to SGD) is used where it
/// applies, and refused only where it applies to none. Each command gives its template (the values of fields it has no
/// option for, and the defaults of those it has) and which fields take lists.
/// </summary>
public sealed class SpecOptions
{
    sealed record FieldOption(SpecField Field, Option Option, bool Several, Func<ParseResult, object[]> Read);

    readonly ExperimentSpec template;
    readonly IReadOnlyList<FieldOption> options;

    /// <param name="template">The spec every combination starts from; an option's default is the template's value.</param>
    /// <param name="fields">The fields with options, in any order (the grid follows the table's); default all.</param>
    /// <param name="grid">The fields whose options take lists; default all with options. The others take one value.</param>
    /// <param name="lists">Defaults of several values, overriding the template's one.</param>
    public SpecOptions(ExperimentSpec template, IEnumerable<SpecField>? fields = null, IEnumerable<SpecField>? grid = null,
                       params (SpecField Field, object[] Values)[] lists)
    {
        this.template = template;
        var chosen = (fields ?? SpecFields.All).ToHashSet();
        var several = (grid ?? chosen).ToHashSet();
        options = SpecFields.All.Where(chosen.Contains).Select(field => Create(field, several.Contains(field),
            lists.FirstOrDefault(l => l.Field == field).Values ?? [.. new[] { field.OptionValue(template) }.OfType<object>()])).ToList();
    }

    /// <summary>The main job's: every field, the classic grid by default.</summary>
    public static SpecOptions Classic() => new(ClassicExperiment.Template, lists:
        [(SpecFields.Depth, [.. ClassicExperiment.Depths.Cast<object>()]), (SpecFields.Activation, [.. ClassicExperiment.Activations.Select(a => SpecField.Show(a))])]);

    public IEnumerable<Option> All => options.Select(o => o.Option);

    /// <summary>The option of a field, for a command that words it its own way.</summary>
    public Option this[SpecField field] => options.Single(o => o.Field == field).Option;

    /// <summary>The specs the options describe: every combination of their values, each validated, each once.</summary>
    public IReadOnlyList<ExperimentSpec> Specs(ParseResult parsed)
    {
        var values = options.ToDictionary(o => o, o => Values(parsed, o));
        if (options.FirstOrDefault(o => o.Field == SpecFields.Epochs) is { } epochs && values[epochs].FirstOrDefault(e => e is < 1) is int none)
            // The library allows 0 (initialisation only); on the command line it is a slip.
            throw new SpecException($"{SpecFields.Epochs.Option} {none}: expected at least 1 training epoch (epoch 0, at initialisation, is always measured)");
        Preflight.CheckGridSize([.. options.Select(o => (o.Option.Name, GivenCount(parsed, o.Option)))]);

        IEnumerable<ExperimentSpec> combinations = [template];
        foreach (var option in options)
            combinations = combinations.SelectMany(spec => values[option].Select(value => option.Field.WithOptionValue(spec, value))).ToList();
        var all = combinations.ToList();
        // Values that apply to some combinations only: where they do not apply, the spec keeps the value that says so, and
        // records no setting it did not use. A value given for no combination it applies to is refused.
        foreach (var option in options.Where(o => parsed.GetResult(o.Option) is { Implicit: false }))
            if (!all.Any(option.Field.Applies))
                throw new SpecException($"{option.Option.Name} {string.Join(" ", values[option].Select(SpecField.Show))}: {option.Field.WhyUnused(all[0])}");
        var specs = all.Select(spec => SpecFields.All.Aggregate(spec, (s, field) => field.Unused(s)));
        return specs.Select(s => s.Validate()).DistinctBy(s => s.Id).ToList();
    }

    /// <summary>An option's values, each once: the given ones, or the default; none ([null]) for a field left unset.</summary>
    static IReadOnlyList<object?> Values(ParseResult parsed, FieldOption option)
    {
        if (option.Field.OptionType == typeof(bool) && parsed.GetResult(option.Option) is { Implicit: false, Tokens.Count: 0 }) return [true]; // a bare flag
        object[] given = option.Read(parsed);
        if (given.Length == 0) return [null];
        if (!option.Several && given.Length > 1)
            throw new SpecException($"{option.Option.Name} {string.Join(" ", given.Select(SpecField.Show))}: expected one value (this command's grid is not over it)");
        // Compared as the spec holds them, so "relu" and "ReLU" are one value (and an unknown name is refused here).
        ListValues.Distinct(option.Option.Name, given.Select(v => option.Field.Text(option.Field.WithOptionValue(new ExperimentSpec(), v))).ToList());
        return given;
    }

    /// <summary>How many distinct values an option was given (1 for its default), counted without a spec.</summary>
    static int GivenCount(ParseResult parsed, Option option) =>
        parsed.GetResult(option) is { Implicit: false, Tokens.Count: > 0 } given ? given.Tokens.Select(t => t.Value).Distinct().Count() : 1;

    static FieldOption Create(SpecField field, bool several, object[] defaults)
    {
        string description = field.Help + (field.Choices is { } names ? $": {string.Join(", ", names)}" : "") + (several ? "; several values make a grid" : "");
        return field.OptionType switch
        {
            var t when t == typeof(int) => Make<int>(field, description, several, defaults),
            var t when t == typeof(double) => Make<double>(field, description, several, defaults),
            var t when t == typeof(bool) => Make<bool>(field, description, several, defaults),
            _ => Make<string>(field, description, several, defaults),
        };
    }

    static FieldOption Make<T>(SpecField field, string description, bool several, object[] defaults)
    {
        var option = new Option<T[]>(field.Option)
        {
            Description = description, DefaultValueFactory = _ => defaults.Cast<T>().ToArray(), AllowMultipleArgumentsPerToken = several,
            Arity = typeof(T) == typeof(bool) ? ArgumentArity.ZeroOrMore : ArgumentArity.OneOrMore,
        };
        return new FieldOption(field, option, several, parsed => parsed.GetValue(option)!.Cast<object>().ToArray());
    }
}
