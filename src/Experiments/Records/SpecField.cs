using System.Globalization;
using System.Text.Json;

namespace Experiments.Records;

/// <summary>
/// One field of <see cref="ExperimentSpec"/> and everything the program says about it: its command-line option, what a
/// valid value is, when it takes effect, how names, labels and reports write it. The rows are in <see cref="SpecFields"/>;
/// options, validation, names, report conditions and CSV columns are made from them, so a field is declared once.
/// </summary>
public abstract class SpecField
{
    protected static readonly ExperimentSpec Defaults = new();

    protected SpecField(string property, string option, string help)
    {
        Property = property;
        Option = option;
        Help = help;
    }

    /// <summary>The <see cref="ExperimentSpec"/> property.</summary>
    public string Property { get; }
    /// <summary>The option of every command that takes the field ("--lr"); a sweep file's key is it without the dashes.</summary>
    public string Option { get; }
    public string Help { get; }
    public string JsonName => JsonNamingPolicy.CamelCase.ConvertName(Property);
    public string Column => JsonNamingPolicy.SnakeCaseLower.ConvertName(Property);
    /// <summary>The same for every configuration of a job (the data, a run's length): left out of names and labels, which
    /// the report's conditions and the CSVs make up for, so that the classic configurations keep their names however long they run.</summary>
    public bool JobWide { get; init; }
    /// <summary>Its row in the report's conditions; null where the data description states it.</summary>
    public string? ReportLabel { get; init; }

    /// <summary>The element type of its command-line option: int, double, bool or string (an enum is read as its name).</summary>
    public abstract Type OptionType { get; }
    /// <summary>The names an enum field's option takes; null for other fields.</summary>
    public abstract IReadOnlyList<string>? Choices { get; }
    /// <summary>The spec's value as its option takes it (an enum by its name); null for none.</summary>
    public abstract object? OptionValue(ExperimentSpec spec);
    /// <summary>The spec with the field set from one value of its option (null: none, for a field that may be unset).</summary>
    public abstract ExperimentSpec WithOptionValue(ExperimentSpec spec, object? value);
    /// <summary>Whether the field takes effect in the spec (σ_w² under Glorot does not).</summary>
    public abstract bool Applies(ExperimentSpec spec);
    /// <summary>The spec with the value the field holds where it does not take effect, so that no spec records a setting it did not use.</summary>
    public abstract ExperimentSpec Unused(ExperimentSpec spec);
    /// <summary>Why the field does not take effect in the spec: "applies to --optimizer sgd, not adam".</summary>
    public abstract string WhyUnused(ExperimentSpec spec);
    /// <summary>Why the spec cannot be run, as far as this field tells: "--lr -1: expected a positive number"; null if it can.</summary>
    public abstract string? Problem(ExperimentSpec spec);
    public abstract bool IsDefault(ExperimentSpec spec);
    /// <summary>Its part of a file name ("lr0.01"), or null where the name leaves it out (at its default, or job-wide).</summary>
    public abstract string? NamePart(ExperimentSpec spec);
    /// <summary>Its part of a label ("lr 0.01"), or null.</summary>
    public abstract string? LabelPart(ExperimentSpec spec);
    /// <summary>Its value in the report's conditions, or null where it does not apply and the row has nothing to say.</summary>
    public abstract string? ReportValue(ExperimentSpec spec);
    /// <summary>The value as the record's JSON writes it, unquoted; empty for none.</summary>
    public abstract string Text(ExperimentSpec spec);

    /// <summary>"--batch 2000: expected at most the 799 training images": a value refused for a reason found outside the spec.</summary>
    public SpecException Refuse(object? value, string expected) => new($"{Option} {Show(value)}: expected {expected}");

    /// <summary>A value as the command line writes it: numbers in the invariant culture, enums by their names.</summary>
    public static string Show(object? value) => value switch
    {
        null => "(none)",
        Enum e => RecordJson.NameOf(e),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>A <see cref="SpecField"/> of type <typeparamref name="T"/>, read and written through the spec.</summary>
public sealed class SpecField<T>(string property, string option, string help, Func<ExperimentSpec, T> get, Func<ExperimentSpec, T, ExperimentSpec> with)
    : SpecField(property, option, help)
{
    /// <summary>What is wrong with a value, given the rest of the spec ("expected a positive number"); null if nothing is.
    /// Asked only where the field takes effect.</summary>
    public Func<ExperimentSpec, T, string?>? Check { get; init; }
    /// <summary>When the field takes effect; null: always.</summary>
    public Func<ExperimentSpec, bool>? AppliesWhen { get; init; }
    /// <summary>Why a value given where the field does not take effect is refused ("applies to --optimizer sgd, not adam").</summary>
    public Func<ExperimentSpec, string>? NotApplicable { get; init; }
    /// <summary>The value held where the field does not take effect: its default unless said otherwise.</summary>
    public T WhereUnused { get; init; } = get(Defaults);
    /// <summary>File-name part of a value other than the default; null for a field names leave out.</summary>
    public Func<T, string>? Name { get; init; }
    /// <summary>Label part of a value other than the default; null where the label shows the field always or never.</summary>
    public Func<T, string>? Label { get; init; }
    /// <summary>The report's wording of the value; the command line's by default.</summary>
    public Func<T, string>? Report { get; init; }
    /// <summary>The report's wording where the field does not apply (σ_b² under torch-default: its own biases); null says nothing.</summary>
    public string? ReportWhereUnused { get; init; }

    public T Default => get(Defaults);
    public T Of(ExperimentSpec spec) => get(spec);
    public ExperimentSpec With(ExperimentSpec spec, T value) => with(spec, value);

    static Type Element => Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
    public override Type OptionType => Element.IsEnum ? typeof(string) : Element;

    public override IReadOnlyList<string>? Choices => Element.IsEnum ? Enum.GetValues(Element).Cast<object>().Select(Show).ToList() : null;
    public override object? OptionValue(ExperimentSpec spec) => get(spec) is { } value && Element.IsEnum ? Show(value) : get(spec);

    public override ExperimentSpec WithOptionValue(ExperimentSpec spec, object? value) => with(spec, value switch
    {
        null => default!,
        string text when Element.IsEnum => Parse(text),
        _ => (T)value,
    });

    /// <summary>An enum value from its name as the command line spells it, or an error listing the names.</summary>
    public T Parse(string text) =>
        Enum.GetValues(Element).Cast<object>().FirstOrDefault(v => Show(v) == text.Trim().ToLowerInvariant()) is { } value
            ? (T)value
            : throw new SpecException($"{Option} {text}: expected one of {string.Join(", ", Choices!)}");

    public override bool Applies(ExperimentSpec spec) => AppliesWhen?.Invoke(spec) ?? true;
    public override ExperimentSpec Unused(ExperimentSpec spec) => Applies(spec) ? spec : with(spec, WhereUnused);
    public override string WhyUnused(ExperimentSpec spec) => NotApplicable?.Invoke(spec) ?? "does not apply";
    public override bool IsDefault(ExperimentSpec spec) => EqualityComparer<T>.Default.Equals(get(spec), Default);

    public override string? Problem(ExperimentSpec spec)
    {
        T value = get(spec);
        if (!Applies(spec))
            return EqualityComparer<T>.Default.Equals(value, WhereUnused) ? null : $"{Option} {Show(value)}: {WhyUnused(spec)}";
        return Check?.Invoke(spec, value) is { } problem ? $"{Option} {Show(value)}: {problem}" : null;
    }

    public override string? NamePart(ExperimentSpec spec) => JobWide || Name is null || IsDefault(spec) ? null : Name(get(spec));
    public override string? LabelPart(ExperimentSpec spec) => JobWide || Label is null || IsDefault(spec) ? null : Label(get(spec));
    public override string? ReportValue(ExperimentSpec spec) =>
        !Applies(spec) ? ReportWhereUnused : Report is not null ? Report(get(spec)) : Show(get(spec));

    public override string Text(ExperimentSpec spec)
    {
        var json = JsonSerializer.SerializeToElement(get(spec), RecordJson.Compact);
        return json.ValueKind switch { JsonValueKind.String => json.GetString()!, JsonValueKind.Null => "", _ => json.GetRawText() };
    }
}
