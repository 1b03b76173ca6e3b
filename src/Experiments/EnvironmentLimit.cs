using System.Globalization;

namespace Experiments;

/// <summary>
/// Limits that belong to the machine or the site (a slow mirror, a slow node), not to the experiment: read from
/// environment variables, so that no spec or record carries them. A value that is not a number of seconds is refused
/// with the variable's name, never silently replaced by the default.
/// </summary>
public static class EnvironmentLimit
{
    /// <summary>The most seconds a limit may be set to (11 days): enough for any run, and far from overflowing a timer.</summary>
    const double MaxSeconds = 1e6;

    public static TimeSpan Seconds(string variable, TimeSpan fallback)
    {
        string? text = Environment.GetEnvironmentVariable(variable);
        if (text is null) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0 && seconds <= MaxSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new BadInputException($"{variable}={text}: expected seconds, a number above 0 and at most 1,000,000");
    }
}
