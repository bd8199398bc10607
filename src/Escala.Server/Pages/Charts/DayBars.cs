using System.Globalization;
using System.Text;
using Escala.Core.Monitoring.Status;

namespace Escala.Server.Pages.Charts;

/// <summary>
/// One bar per day of an endpoint's SLO period: green when the day met the objective, red when it did not, grey
/// without traffic; each bar carries its day, availability and counts as a title, and the first and last days are
/// labelled.
/// </summary>
public static class DayBars
{
    /// <summary>The SVG for <paramref name="status"/>'s days.</summary>
    public static string Render(EndpointStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var c = CultureInfo.InvariantCulture;
        var days = status.Days;
        const int height = 60, barWidth = 14, gap = 3;
        var width = Math.Max(1, days.Count) * (barWidth + gap);
        var svg = new StringBuilder(256 + (days.Count * 160));
        svg.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height + 14}\" role=\"img\" aria-label=\"Daily availability\"><title>Daily availability</title>");
        for (var i = 0; i < days.Count; i++)
        {
            var d = days[i];
            var met = d.Availability >= status.Slo.Target;
            var colour = d.Eligible == 0 ? ChartPalette.Empty : met ? ChartPalette.Good : ChartPalette.Bad;
            var x = i * (barWidth + gap);
            var tip = d.Eligible == 0
                ? string.Create(c, $"{d.Day:yyyy-MM-dd}: no traffic")
                : string.Create(c, $"{d.Day:yyyy-MM-dd}: {d.Availability * 100:0.000}% of {d.Eligible:N0} requests ({d.Bad:N0} bad){(met ? "" : ", below objective")}");
            // A missed day is also shorter, so it shows without colour.
            var h = d.Eligible == 0 || met ? height : height * 2 / 3;
            svg.Append(c, $"<rect x=\"{x}\" y=\"{height - h}\" width=\"{barWidth}\" height=\"{h}\" rx=\"2\" fill=\"{colour}\"><title>{Html.Encode(tip)}</title></rect>");
        }

        if (days.Count > 0)
        {
            svg.Append(c, $"<text x=\"0\" y=\"{height + 12}\" font-size=\"10\" fill=\"{ChartPalette.Muted}\">{days[0].Day:yyyy-MM-dd}</text>");
            svg.Append(c, $"<text x=\"{width}\" y=\"{height + 12}\" font-size=\"10\" text-anchor=\"end\" fill=\"{ChartPalette.Muted}\">{days[^1].Day:yyyy-MM-dd}</text>");
        }

        return svg.Append("</svg>").ToString();
    }
}
