using System.Globalization;
using Escala.Core.Monitoring.Windows;

namespace Escala.Core.Monitoring.Settings;

/// <summary>How an endpoint's drift windows are cut: every <see cref="Seconds"/> of wall-clock time, or every <see cref="Rows"/> rows. Exactly one is set.</summary>
/// <param name="Seconds">Window length in seconds (time windows, aligned to the Unix epoch so every node cuts alike).</param>
/// <param name="Rows">Rows per window (count windows).</param>
public sealed record WindowSetting(long? Seconds = null, long? Rows = null)
{
    /// <summary>One hour: long enough to hold thousands of rows on a busy endpoint, short enough to see a shift the same day.</summary>
    public static WindowSetting Default { get; } = new(Seconds: 3600);

    /// <summary>The shortest time window accepted.</summary>
    public const long MinSeconds = 1;

    /// <summary>The longest time window accepted (31 days).</summary>
    public const long MaxSeconds = 31L * 24 * 3600;

    /// <summary>The largest count window accepted.</summary>
    public const long MaxRows = 100_000_000;

    /// <summary>The Core window specification.</summary>
    public WindowSpec ToSpec() => Rows is { } rows ? WindowSpec.ByCount(rows) : WindowSpec.ByTime(TimeSpan.FromSeconds(Seconds ?? 3600));

    /// <summary>Problems with the setting, each naming the field; empty when valid.</summary>
    public IEnumerable<string> Problems(string path)
    {
        if (Seconds is null == Rows is null)
        {
            yield return $"{path}: give exactly one of 'seconds' (time windows) or 'rows' (count windows).";
        }
        else if (Seconds is { } s && s is < MinSeconds or > MaxSeconds)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{path}.seconds must be between {MinSeconds} and {MaxSeconds} (31 days); got {s}.");
        }
        else if (Rows is { } r && r is < 1 or > MaxRows)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{path}.rows must be between 1 and {MaxRows}; got {r}.");
        }
    }

    /// <summary>The longest period any window or look-back may name (about ten years): anything longer is a typo, and would overflow time arithmetic.</summary>
    public const long MaxPeriodSeconds = 3650L * 86400;

    /// <summary>
    /// Reads "1h", "30m", "90s", "2d" or "500rows" / "500r" (the CLI's <c>--window</c>); null when the text is not one of
    /// those. A period longer than <see cref="MaxPeriodSeconds"/> (e.g. <c>99999999999h</c>) is refused with validation-failed.
    /// </summary>
    public static WindowSetting? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToLowerInvariant();
        foreach (var (suffix, unit) in Units)
        {
            if (!t.EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }

            var digits = t.AsSpan(0, t.Length - suffix.Length);
            if (digits.Length > 0 && !digits.ContainsAnyExcept("0123456789"))
            {
                if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || (unit > 0 && n > MaxPeriodSeconds / unit))
                {
                    throw Escala.Core.Problems.ProblemTypes.ValidationFailed.With(string.Create(CultureInfo.InvariantCulture,
                        $"The window '{Naming.ResourceName.Printable(text)}' is too long; periods go up to {MaxPeriodSeconds / 86400}d and counts up to {MaxRows} rows."));
                }

                if (n > 0)
                {
                    return unit == 0 ? new WindowSetting(Rows: n) : new WindowSetting(Seconds: n * unit);
                }
            }
        }

        return null;
    }

    /// <summary>"1h", "500 rows"...</summary>
    public override string ToString() => Rows is { } rows
        ? string.Create(CultureInfo.InvariantCulture, $"{rows} rows")
        : Describe(TimeSpan.FromSeconds(Seconds ?? 0));

    /// <summary>A duration as the shortest whole unit ("1h", "90s").</summary>
    public static string Describe(TimeSpan span) =>
        span.TotalSeconds % 86400 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0}d")
        : span.TotalSeconds % 3600 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0}h")
        : span.TotalSeconds % 60 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0}m")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0}s");

    // Longest suffixes first so "rows" is not read as "s".
    private static readonly (string Suffix, long Unit)[] Units = [("rows", 0), ("row", 0), ("r", 0), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1)];
}
