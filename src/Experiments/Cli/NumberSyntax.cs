using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Experiments.Cli;

/// <summary>
/// One way to read numbers on the command line, for every numeric option of every command: invariant culture, a
/// decimal point, no digit grouping, finite. The default parser reads "0,001" as 1 (the comma taken as a thousands
/// separator) and accepts "Infinity"; here both are refused with the option and the text given.
/// </summary>
public static class NumberSyntax
{
    const NumberStyles Real = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign |
                              NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
    const NumberStyles Whole = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign;

    /// <summary>Gives every numeric option of <paramref name="command"/> and its subcommands this parser.</summary>
    public static void ApplyTo(Command command)
    {
        foreach (var option in command.Options) Apply(option);
        foreach (var subcommand in command.Subcommands) ApplyTo(subcommand);
    }

    /// <summary>Whether the option holds numbers, so that it needs this parser.</summary>
    public static bool IsNumeric(Option option)
    {
        var type = option.ValueType.IsArray ? option.ValueType.GetElementType()! : option.ValueType;
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive && type != typeof(bool) && type != typeof(char) || type == typeof(decimal);
    }

    static void Apply(Option option)
    {
        switch (option)
        {
            case Option<int> o: o.CustomParser = r => One(r, ParseInt); break;
            case Option<int?> o: o.CustomParser = r => One(r, ParseInt); break;
            case Option<int[]> o: o.CustomParser = r => All(r, ParseInt); break;
            case Option<double> o: o.CustomParser = r => One(r, ParseDouble); break;
            case Option<double?> o: o.CustomParser = r => One(r, ParseDouble); break;
            case Option<double[]> o: o.CustomParser = r => All(r, ParseDouble); break;
            default:
                if (IsNumeric(option)) throw new NotSupportedException($"{option.Name}: no number parser for {option.ValueType}");
                break;
        }
    }

    static T One<T>(ArgumentResult result, Func<string, string, T?> parse) where T : struct =>
        All(result, parse) is [var value] ? value : default;

    static T[] All<T>(ArgumentResult result, Func<string, string, T?> parse) where T : struct
    {
        string option = result.Parent is OptionResult parent ? parent.Option.Name : result.Argument.Name;
        var values = new List<T>();
        foreach (var token in result.Tokens)
        {
            try { values.Add(parse(option, token.Value) ?? default); }
            catch (FormatException e)
            {
                result.AddError(e.Message);
                return [];
            }
        }
        return values.ToArray();
    }

    static int? ParseInt(string option, string text)
    {
        if (int.TryParse(text, Whole, CultureInfo.InvariantCulture, out int value)) return value;
        if (long.TryParse(text, Whole, CultureInfo.InvariantCulture, out _) || IsDigits(text))
            throw new FormatException($"{option} {text}: expected a whole number between {int.MinValue} and {int.MaxValue}");
        throw new FormatException($"{option} {text}: expected a whole number such as 64 (digits only, no digit grouping)");
    }

    static double? ParseDouble(string option, string text)
    {
        if (!double.TryParse(text, Real, CultureInfo.InvariantCulture, out double value))
            throw new FormatException($"{option} {text}: expected a number such as 0.5 or 1e-3 (a decimal point, no digit grouping)");
        // .NET also reads "Infinity", "NaN" and overflowing literals such as 1e400 (as ∞): none is a usable setting.
        if (!double.IsFinite(value)) throw new FormatException($"{option} {text}: expected a finite number");
        // 1e-400 reads as 0: say so, rather than report a 0 the user never wrote.
        if (value == 0 && text.Split('e', 'E')[0].Any(c => c is >= '1' and <= '9'))
            throw new FormatException($"{option} {text}: too close to 0 for a double (it reads as 0); expected a number of at least 1e-308 in size");
        return value;
    }

    static bool IsDigits(string text) => text.Trim().TrimStart('-', '+') is { Length: > 0 } digits && digits.All(char.IsAsciiDigit);
}
