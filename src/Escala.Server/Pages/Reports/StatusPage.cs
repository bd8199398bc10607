using System.Globalization;
using System.Text;
using Escala.Core.Monitoring.Alerts;
using Escala.Core.Monitoring.Status;
using Escala.Server.Pages.Charts;

namespace Escala.Server.Pages.Reports;

/// <summary>
/// An endpoint's status: availability against the objective with the error budget and burn rates, a bar per day
/// (<see cref="DayBars"/>), the incidents (alerts fired and resolved, with how long they lasted) and how each
/// version is monitored. As a standalone page (<see cref="Render"/>) or a dashboard section (<see cref="Body"/>).
/// </summary>
public static class StatusPage
{
    /// <summary>The standalone page for <paramref name="status"/>.</summary>
    public static string Render(EndpointStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var title = $"Status: {status.Endpoint}";
        return PageLayout.Standalone(title, "<h1>" + Html.Encode(title) + "</h1>\n" + Body(status, 2));
    }

    /// <summary>The status without its title; section headings at level <paramref name="level"/>.</summary>
    public static string Body(EndpointStatus status, int level)
    {
        ArgumentNullException.ThrowIfNull(status);
        var c = CultureInfo.InvariantCulture;
        var html = new StringBuilder(8192);
        var open = status.Incidents.Count(i => i.ResolvedAt is null);
        html.Append("<p class=\"big ").Append(status.MeetsObjective && open == 0 ? "ok" : "bad").Append("\">")
            .Append(open > 0 ? string.Create(c, $"{open} alert{(open == 1 ? "" : "s")} firing") : status.MeetsObjective ? "Operational" : "Below objective")
            .Append("</p>\n<table class=\"facts\">\n");
        html.Fact("Availability", string.Create(c, $"{status.Availability * 100:0.000}% over {status.Slo.PeriodDays} days (objective {status.Slo.Target * 100:0.000}%)"));
        html.Fact("Error budget left", string.Create(c, $"{status.ErrorBudgetRemaining * 100:0.0}%"));
        html.Fact("Burn rate", string.Create(c, $"{status.BurnRate5m:0.##} (5 min), {status.BurnRate1h:0.##} (1 h)"));
        html.Fact("Uptime", string.Create(c, $"{status.Uptime * 100:0.00}% of {status.HoursWithTraffic} hours with traffic met the objective"));
        html.Fact("Requests", string.Create(c, $"{status.Requests:N0} ({status.Errors:N0} failed, {status.Fallbacks:N0} by a fallback, {status.Rejected:N0} refused)"));
        html.Fact("As of", status.At.ToString("u", c));
        html.Append(c, $"</table>\n<h{level}>Daily availability</h{level}>\n").Append(DayBars.Render(status)).Append('\n');

        html.Append(c, $"<h{level}>Incidents</h{level}>\n");
        if (status.Incidents.Count == 0)
        {
            html.Append("<p>No alert fired in this period.</p>\n");
        }
        else
        {
            html.Append("<table><thead><tr><th scope=\"col\">fired</th><th scope=\"col\">resolved</th><th scope=\"col\">lasted</th><th scope=\"col\">severity</th><th scope=\"col\">rule</th><th scope=\"col\">version</th><th scope=\"col\">metric</th><th scope=\"col\">detail</th></tr></thead>\n");
            foreach (var i in status.Incidents)
            {
                html.Append("<tr><td>").Append(i.FiredAt.ToString("u", c)).Append("</td><td>")
                    .Append(i.ResolvedAt is { } r ? r.ToString("u", c) : "<strong class=\"bad\">firing</strong>").Append("</td><td>")
                    .Text(Html.Duration(i.Duration(status.At))).Append("</td><td class=\"").Append(i.Severity == AlertSeverity.Critical ? "bad" : "").Append("\">")
                    .Append(i.Severity.ToString().ToLowerInvariant()).Append("</td><td>").Text(i.Rule).Append("</td><td>").Text(i.Series)
                    .Append("</td><td>").Text(i.Metric).Append("</td><td>").Text(i.Detail).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append(c, $"<h{level}>Versions</h{level}>\n").Append("<table><thead><tr><th scope=\"col\">version</th><th scope=\"col\">monitoring</th><th scope=\"col\">latest drift</th><th scope=\"col\">drifted features</th></tr></thead>\n");
        foreach (var v in status.Versions)
        {
            html.Append("<tr><td>").Text(v.Version).Append("</td><td>").Text(v.Reason is null ? v.State : $"{v.State}: {v.Reason}").Append("</td><td>")
                .Append(v.DriftShare is { } share ? string.Create(c, $"{share * 100:0}% of features, window ending {v.LastWindowEnd:u}") : "no window closed yet")
                .Append("</td><td>").Text(string.Join(", ", v.DriftedFeatures)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
        return html.ToString();
    }
}
