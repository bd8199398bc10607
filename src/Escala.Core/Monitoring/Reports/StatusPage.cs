using System.Globalization;
using System.Text;
using Escala.Core.Monitoring.Alerts;
using Escala.Core.Monitoring.Status;

namespace Escala.Core.Monitoring.Reports;

/// <summary>
/// An endpoint's status page as standalone HTML: availability against the objective with the error budget and burn
/// rates, a bar per day (SVG, green when the day met the target), the incidents (alerts fired and resolved, with how
/// long they lasted) and how each version is monitored. No script, no remote content.
/// </summary>
public static class StatusPage
{
    /// <summary>The page for <paramref name="status"/>.</summary>
    public static string Render(EndpointStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var c = CultureInfo.InvariantCulture;
        var html = new StringBuilder(8192);
        var title = $"Status: {status.Endpoint}";
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>\n");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
        html.Append("<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}")
            .Append("table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left}")
            .Append(".ok{color:#1a7f37}.bad{color:#cf222e}.big{font-size:1.6rem;font-weight:600}</style>\n</head><body>\n");
        html.Append("<h1>").Append(E(title)).Append("</h1>\n");
        var open = status.Incidents.Count(i => i.ResolvedAt is null);
        html.Append("<p class=\"big ").Append(status.MeetsObjective && open == 0 ? "ok" : "bad").Append("\">")
            .Append(open > 0 ? string.Create(c, $"{open} alert{(open == 1 ? "" : "s")} firing") : status.MeetsObjective ? "Operational" : "Below objective")
            .Append("</p>\n<table>\n");
        Row(html, "Availability", string.Create(c, $"{status.Availability * 100:0.000}% over {status.Slo.PeriodDays} days (objective {status.Slo.Target * 100:0.000}%)"));
        Row(html, "Error budget left", string.Create(c, $"{status.ErrorBudgetRemaining * 100:0.0}%"));
        Row(html, "Burn rate", string.Create(c, $"{status.BurnRate5m:0.##} (5 min), {status.BurnRate1h:0.##} (1 h)"));
        Row(html, "Uptime", string.Create(c, $"{status.Uptime * 100:0.00}% of {status.HoursWithTraffic} hours with traffic met the objective"));
        Row(html, "Requests", string.Create(c, $"{status.Requests:N0} ({status.Errors:N0} failed, {status.Fallbacks:N0} by a fallback, {status.Rejected:N0} refused)"));
        Row(html, "As of", status.At.ToString("u", c));
        html.Append("</table>\n<h2>Daily availability</h2>\n").Append(Days(status)).Append('\n');

        html.Append("<h2>Incidents</h2>\n");
        if (status.Incidents.Count == 0)
        {
            html.Append("<p>No alert fired in this period.</p>\n");
        }
        else
        {
            html.Append("<table><tr><th>fired</th><th>resolved</th><th>lasted</th><th>severity</th><th>rule</th><th>version</th><th>metric</th><th>detail</th></tr>\n");
            foreach (var i in status.Incidents)
            {
                html.Append("<tr><td>").Append(i.FiredAt.ToString("u", c)).Append("</td><td>")
                    .Append(i.ResolvedAt is { } r ? r.ToString("u", c) : "<strong class=\"bad\">firing</strong>").Append("</td><td>")
                    .Append(E(Duration(i.Duration(status.At)))).Append("</td><td class=\"").Append(i.Severity == AlertSeverity.Critical ? "bad" : "").Append("\">")
                    .Append(i.Severity.ToString().ToLowerInvariant()).Append("</td><td>").Append(E(i.Rule)).Append("</td><td>").Append(E(i.Series))
                    .Append("</td><td>").Append(E(i.Metric)).Append("</td><td>").Append(E(i.Detail ?? "")).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("<h2>Versions</h2>\n<table><tr><th>version</th><th>monitoring</th><th>latest drift</th><th>drifted features</th></tr>\n");
        foreach (var v in status.Versions)
        {
            html.Append("<tr><td>").Append(E(v.Version)).Append("</td><td>").Append(E(v.Reason is null ? v.State : $"{v.State}: {v.Reason}")).Append("</td><td>")
                .Append(v.DriftShare is { } share ? string.Create(c, $"{share * 100:0}% of features, window ending {v.LastWindowEnd:u}") : "no window closed yet")
                .Append("</td><td>").Append(E(string.Join(", ", v.DriftedFeatures))).Append("</td></tr>\n");
        }

        html.Append("</table>\n</body></html>\n");
        return html.ToString();
    }

    private static string Days(EndpointStatus status)
    {
        var c = CultureInfo.InvariantCulture;
        var days = status.Days;
        const int height = 60, barWidth = 14, gap = 3;
        var width = Math.Max(1, days.Count) * (barWidth + gap);
        var svg = new StringBuilder();
        svg.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height + 14}\" role=\"img\" aria-label=\"Daily availability\"><title>Daily availability</title>");
        for (var i = 0; i < days.Count; i++)
        {
            var d = days[i];
            var colour = d.Eligible == 0 ? "#d0d7de" : d.Availability >= status.Slo.Target ? "#2da44e" : "#cf222e";
            var x = i * (barWidth + gap);
            var tip = d.Eligible == 0
                ? string.Create(c, $"{d.Day:yyyy-MM-dd}: no traffic")
                : string.Create(c, $"{d.Day:yyyy-MM-dd}: {d.Availability * 100:0.000}% of {d.Eligible:N0} requests ({d.Bad:N0} bad)");
            svg.Append(c, $"<rect x=\"{x}\" y=\"0\" width=\"{barWidth}\" height=\"{height}\" rx=\"2\" fill=\"{colour}\"><title>{E(tip)}</title></rect>");
        }

        if (days.Count > 0)
        {
            svg.Append(c, $"<text x=\"0\" y=\"{height + 12}\" font-size=\"10\" fill=\"#57606a\">{days[0].Day:yyyy-MM-dd}</text>");
            svg.Append(c, $"<text x=\"{width}\" y=\"{height + 12}\" font-size=\"10\" text-anchor=\"end\" fill=\"#57606a\">{days[^1].Day:yyyy-MM-dd}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0.#} d")
        : span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} h")
        : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s");

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");

    private static string E(string text) => Escala.Core.Naming.SafeHtml.Encode(text);
}
