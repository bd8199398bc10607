using System.Globalization;
using System.Text;

namespace Escala.Server.Pages;

/// <summary>
/// The one place text becomes HTML: every page, report and chart escapes through here, so a change to how text
/// is made safe (e.g. control characters) is made once for all of them.
/// </summary>
public static class Html
{
    /// <summary>
    /// <paramref name="text"/> safe inside an element or a quoted attribute, with control and bidirectional-override
    /// characters made visible (<see cref="Core.Naming.SafeHtml"/>), so a name cannot reorder or hide what a page shows.
    /// </summary>
    public static string Encode(string? text) => Core.Naming.SafeHtml.Encode(text);

    /// <summary>Appends <paramref name="text"/> escaped.</summary>
    public static StringBuilder Text(this StringBuilder html, string? text) => html.Append(Encode(text));

    /// <summary>
    /// A <c>time</c> element in UTC that the dashboard's script rewrites into the viewer's time zone; without
    /// script it still reads correctly (the zone is written out).
    /// </summary>
    public static StringBuilder Time(this StringBuilder html, DateTimeOffset at) =>
        html.Append("<time datetime=\"").Append(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)).Append("\">")
            .Append(at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(" UTC</time>");

    /// <summary>A number for people: four decimals at most, scientific below 1e-4, an en dash for NaN.</summary>
    public static string Number(double value) =>
        double.IsNaN(value) ? "–" : Math.Abs(value) is > 0 and < 1e-4 ? value.ToString("0.##E+0", CultureInfo.InvariantCulture) : value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>A duration for people: seconds, minutes, hours or days.</summary>
    public static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0.#} d")
        : span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} h")
        : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s");

    /// <summary>A two-column row of facts (name as a header cell).</summary>
    public static StringBuilder Fact(this StringBuilder html, string name, string value) =>
        html.Append("<tr><th scope=\"row\">").Text(name).Append("</th><td>").Text(value).Append("</td></tr>\n");
}
