using System.Globalization;

namespace Escala.Core.Monitoring.Baselines;

/// <summary>What a <see cref="FeatureValue"/> holds.</summary>
public enum FeatureValueKind : byte
{
    /// <summary>No value (null, empty, a missing marker, or NaN).</summary>
    Missing = 0,

    /// <summary>A finite or infinite number.</summary>
    Number = 1,

    /// <summary>A string.</summary>
    Text = 2,
}

/// <summary>
/// One cell of a request row as the gateway saw it: missing, a number or a string. A small struct so a
/// row is a <see cref="ReadOnlySpan{T}"/> on the stack and checking it allocates nothing.
/// </summary>
public readonly struct FeatureValue
{
    private FeatureValue(FeatureValueKind kind, double number, string? text)
    {
        Kind = kind;
        Number = number;
        Text = text;
    }

    /// <summary>What this value holds.</summary>
    public FeatureValueKind Kind { get; }

    /// <summary>The number, when <see cref="Kind"/> is <see cref="FeatureValueKind.Number"/>.</summary>
    public double Number { get; }

    /// <summary>The string, when <see cref="Kind"/> is <see cref="FeatureValueKind.Text"/>.</summary>
    public string? Text { get; }

    /// <summary>The missing value.</summary>
    public static FeatureValue Missing => default;

    /// <summary>True when the value is missing.</summary>
    public bool IsMissing => Kind == FeatureValueKind.Missing;

    /// <summary>A number; NaN is treated as missing (it is how most tabular tools write "no value").</summary>
    public static FeatureValue Of(double number) =>
        double.IsNaN(number) ? default : new FeatureValue(FeatureValueKind.Number, number, null);

    /// <summary>A string; null is missing.</summary>
    public static FeatureValue Of(string? text) =>
        text is null ? default : new FeatureValue(FeatureValueKind.Text, 0, text);

    /// <summary>
    /// Reads one CSV field: empty or one of <paramref name="missingMarkers"/> is missing, an invariant-culture
    /// number is a number, anything else is text. This is how a reference table becomes baseline rows.
    /// </summary>
    public static FeatureValue Parse(string? field, IReadOnlySet<string>? missingMarkers = null)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            return default;
        }

        var trimmed = field.Trim();
        if (missingMarkers is not null && missingMarkers.Contains(trimmed))
        {
            return default;
        }

        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? Of(number)
            : Of(trimmed);
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        FeatureValueKind.Number => Number.ToString("R", CultureInfo.InvariantCulture),
        FeatureValueKind.Text => Text!,
        _ => "<missing>",
    };
}
