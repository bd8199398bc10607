using System.Globalization;
using System.Text;
using Escala.Core.Access;
using Escala.Core.Endpoints;
using Escala.Core.Monitoring.Alerts;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Settings;
using Escala.Server.Monitoring.Alerts;
using Escala.Server.Monitoring.Drift;
using Escala.Server.Monitoring.GroundTruth;
using Escala.Server.Monitoring.Live;
using Escala.Server.Monitoring.Status;
using Escala.Server.Pages;
using Escala.Server.Pages.Charts;
using Escala.Server.Pages.Reports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Dashboard.Pages;

/// <summary>
/// <c>/monitoring?endpoint=</c>: for one endpoint, its status (availability, budget, days, incidents), drift per feature
/// over the stored windows and the latest window's histograms against the baseline, data quality per version, accuracy
/// from ground truth over three periods, and its alert rules, firing alerts and recent events. Everything comes from
/// the monitoring services the API uses.
/// </summary>
public sealed class MonitoringPage : IDashboardPage
{
    /// <summary>Windows drawn in the drift charts.</summary>
    public const int Windows = 30;

    /// <inheritdoc/>
    public NavEntry? Nav { get; } = new("Monitoring", "/monitoring", Role.Viewer, 20);

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder routes) => routes.MapGet("/monitoring", RenderAsync).RequireSessionRole(Role.Viewer).ExcludeFromDescription();

    private static async Task<IResult> RenderAsync(
        string? endpoint, HttpContext http, EndpointCatalog catalog, StatusReports status, DriftReports drift, IDriftReportStore driftStore, MonitoringConfiguration settings,
        GroundTruthMetricsSource accuracy, AlertRules rules, AlertEngine engine, LiveMetrics metrics, TimeProvider time, CancellationToken ct)
    {
        var c = CultureInfo.InvariantCulture;
        var endpoints = await catalog.ListAsync(ct);
        var html = new StringBuilder(32 * 1024);
        html.Append("<h1>Monitoring</h1>\n");
        if (endpoints.Count == 0)
        {
            html.Append(DashboardLayout.Empty("Nothing to monitor yet: no endpoint exists.", "Create and deploy one (see the Overview), send traffic, and drift, quality and availability appear here."));
            return DashboardResults.Page(http, "Monitoring", html.ToString());
        }

        var chosen = endpoints.FirstOrDefault(e => e.Name == endpoint) ?? endpoints[0];
        html.Append("<form class=\"filters\" method=\"get\" action=\"/monitoring\"><label>Endpoint<select name=\"endpoint\">");
        foreach (var e in endpoints)
        {
            html.Append("<option").Append(e.Name == chosen.Name ? " selected" : "").Append('>').Text(e.Name).Append("</option>");
        }

        html.Append("</select></label><button type=\"submit\" class=\"act quiet\">Show</button></form>\n");
        var name = chosen.Name;
        // Each section's server time goes out as Server-Timing, so a slow page says which part is slow.
        var timing = new ServerTiming();

        html.Append("<h2>Status</h2>\n").Append(StatusPage.Body(await status.GetAsync(name, ct), 3));

        timing.Mark("status");
        html.Append("<h2>Drift over windows</h2>\n");
        var summaries = await drift.ListAsync(name, null, Windows, ct);
        timing.Mark("drift-list");
        if (summaries.Count == 0)
        {
            html.Append(DashboardLayout.Empty("No drift window has closed yet.",
                "Windows close after the configured number of requests or time (<code>escala monitoring set ENDPOINT --window 1000</code>); the version needs a baseline (<code>escala models baseline set</code>)."));
        }
        else
        {
            var byTarget = summaries.GroupBy(s => s.Target).Select(g => new ChartSeries(g.Key,
                g.OrderBy(s => s.End).Select(s => ((double)s.End.ToUnixTimeSeconds(), s.DriftedShare)).ToList())).ToList();
            html.Append(LineChart.Render("Share of features drifted per window", byTarget, UnixLabel, y => y.ToString("0%", c), null, 0, 1));
            var newest = summaries[0];
            // The store reads windows oldest first from a time: start just before the oldest of the newest ones listed.
            var since = summaries.Where(s => s.Target == newest.Target).Min(s => s.End).AddTicks(-1);
            var windows = await driftStore.WindowsSinceAsync(name, newest.Target, since, Windows, ct);
            timing.Mark("drift-windows");
            // PSI is computed for every column of every window whatever method judged it (the default judges small windows
            // by a test, whose score is a p-value), so one scale serves the whole chart.
            var features = windows.SelectMany(w => w.Report.Features).Select(f => f.Name).Distinct(StringComparer.Ordinal).Take(6).ToList();
            if (features.Count > 0)
            {
                var perFeature = features.Select(f => new ChartSeries(f, windows.Select(w => (
                    (double)w.Report.End.ToUnixTimeSeconds(),
                    w.Report.Features.FirstOrDefault(x => x.Name == f)?.Psi ?? double.NaN)).ToList())).ToList();
                html.Append("<h3>").Text(newest.Target).Append(": PSI per feature over windows (whatever method judged each window)</h3>\n")
                    .Append(LineChart.Render($"{newest.Target}: PSI per feature over windows", perFeature, UnixLabel, y => y.ToString("0.###", c)));
            }

            html.Append("<table><thead><tr><th scope=\"col\">window ended</th><th scope=\"col\">version</th><th scope=\"col\" class=\"num\">rows</th><th scope=\"col\">drifted</th></tr></thead>\n");
            foreach (var s in summaries.Take(10))
            {
                html.Append("<tr><td>").Time(s.End).Append("</td><td>").Text(s.Target).Append(c, $"</td><td class=\"num\">{s.Rows:N0}</td><td>")
                    .Append(s.DriftedFeatures.Count == 0 ? "<span class=\"stable\">none</span>" : "<span class=\"drifted\">" + Html.Encode(string.Join(", ", s.DriftedFeatures)) + "</span>")
                    .Append(s.PredictionDrifted ? " (and the prediction)" : "").Append("</td></tr>\n");
            }

            html.Append("</table>\n");
            // The newest window is the last of those just read: its stored report, judged by the endpoint's policy.
            if (windows.Count > 0)
            {
                var latest = windows[^1];
                var policy = (await settings.EffectiveAsync(name, ct)).Drift;
                html.Append("<h3>Latest window: baseline vs window per feature</h3>\n")
                    .Append(DriftReportPage.Body($"the latest closed window of {latest.Target} (#{latest.Id})", latest.Report, policy, 4));
            }
        }

        timing.Mark("drift");
        html.Append("<h2>Data quality</h2>\n");
        var series = metrics.Of(name).OrderBy(s => s.Target, StringComparer.Ordinal).ThenBy(s => s.Department, StringComparer.Ordinal).ToList();
        if (series.Count == 0)
        {
            html.Append(DashboardLayout.Empty("No request reached this endpoint since the server started.", "Counts appear with the first prediction."));
        }
        else
        {
            html.Append("<table><thead><tr><th scope=\"col\">version</th><th scope=\"col\">department</th><th scope=\"col\" class=\"num\">requests</th><th scope=\"col\" class=\"num\">refused by quality checks</th><th scope=\"col\" class=\"num\">invalid input</th><th scope=\"col\" class=\"num\">errors</th><th scope=\"col\" class=\"num\">fallbacks</th></tr></thead>\n");
            foreach (var s in series)
            {
                var counts = s.Counters.Read();
                html.Append("<tr><td>").Text(s.Target).Append("</td><td>").Text(s.Department ?? "none")
                    .Append(c, $"</td><td class=\"num\">{counts.Requests:N0}</td><td class=\"num\">{s.QualityRejections:N0}</td><td class=\"num\">{s.InvalidInputs:N0}</td><td class=\"num\">{counts.Errors:N0}</td><td class=\"num\">{counts.Fallbacks:N0}</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        timing.Mark("quality");
        html.Append("<h2>Accuracy from ground truth</h2>\n");
        var periods = new List<Server.Monitoring.GroundTruth.AccuracyView>();
        foreach (var window in new[] { "1h", "24h", "7d" })
        {
            periods.Add(await accuracy.GetAsync(name, window, false, ct));
        }

        if (periods.All(p => p.Versions.Count == 0))
        {
            html.Append(DashboardLayout.Empty("No label has come back yet.",
                $"Post outcomes by request id to <code>/v1/endpoints/{Html.Encode(name)}/feedback</code>; metrics appear from {GroundTruthMetricsSource.MinimumLabels} labels per version."));
        }
        else
        {
            html.Append("<table><thead><tr><th scope=\"col\">period</th><th scope=\"col\">version</th><th scope=\"col\" class=\"num\">labels</th><th scope=\"col\">metrics (registered → now)</th></tr></thead>\n");
            foreach (var p in periods)
            {
                foreach (var v in p.Versions)
                {
                    html.Append("<tr><td>").Text(p.Window).Append("</td><td>").Text(v.Target).Append(c, $"</td><td class=\"num\">{v.Labels:N0}</td><td>")
                        .Text(string.Join("; ", v.Metrics.Select(m => $"{m.Key} {(v.Registered.TryGetValue(m.Key, out var r) ? Html.Number(r) + " → " : "")}{Html.Number(m.Value)}"))).Append("</td></tr>\n");
                }
            }

            html.Append("</table>\n");
        }

        timing.Mark("accuracy");
        html.Append("<h2>Alerts</h2>\n");
        var firing = engine.Firing.Where(f => f.Rule.Endpoint == name).ToList();
        html.Append(firing.Count == 0 ? "<p><span class=\"ok\">✓</span> No alert is firing.</p>\n" : "<ul>\n");
        foreach (var f in firing)
        {
            html.Append("<li><strong class=\"bad\">firing</strong> ").Text(f.Rule.Name).Append(" on ").Text(f.Series).Append(": ").Text(Html.Number(f.Value)).Append(" since ").Time(f.State.FiredAt ?? f.State.Since).Append("</li>\n");
        }

        html.Append(firing.Count == 0 ? "" : "</ul>\n");
        var ruleList = await rules.ListAsync(name, ct);
        if (ruleList.Count == 0)
        {
            html.Append(DashboardLayout.Empty("No alert rule watches this endpoint.", $"Add one: <code>escala alerts add {Html.Encode(name)} --metric drift.share --above 0.3</code>."));
        }
        else
        {
            html.Append("<table><thead><tr><th scope=\"col\">rule</th><th scope=\"col\">metric</th><th scope=\"col\">threshold</th><th scope=\"col\">severity</th></tr></thead>\n");
            foreach (var r in ruleList)
            {
                html.Append("<tr><td>").Text(r.Name).Append("</td><td>").Text(r.Metric.ToString()).Append(r.Feature is null ? "" : " (" + Html.Encode(r.Feature) + ")").Append("</td><td>")
                    .Text(r.Comparison.ToString().ToLowerInvariant() + " " + Html.Number(r.Threshold)).Append("</td><td>").Text(r.Severity.ToString().ToLowerInvariant()).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
            var events = await rules.EventsAsync(name, null, 10, ct);
            if (events.Count > 0)
            {
                html.Append("<h3>Recent alert events</h3>\n<table><thead><tr><th scope=\"col\">at</th><th scope=\"col\">rule</th><th scope=\"col\">what</th><th scope=\"col\">value</th><th scope=\"col\">detail</th></tr></thead>\n");
                foreach (var e in events)
                {
                    html.Append("<tr><td>").Time(e.At).Append("</td><td>").Text(e.Rule).Append("</td><td class=\"").Append(e.Kind == AlertTransitionKind.Fired ? "bad" : "ok").Append("\">")
                        .Text(e.Kind.ToString().ToLowerInvariant()).Append("</td><td>").Text(Html.Number(e.Value)).Append("</td><td>").Text(e.Detail).Append("</td></tr>\n");
                }

                html.Append("</table>\n");
            }
        }

        html.Append("<p class=\"muted\">As of ").Time(time.GetUtcNow()).Append(".</p>\n");
        timing.Mark("alerts");
        http.Response.Headers["Server-Timing"] = timing.ToString();
        return DashboardResults.Page(http, "Monitoring " + name, html.ToString());
    }

    private static string UnixLabel(double seconds) =>
        DateTimeOffset.FromUnixTimeSeconds((long)seconds).UtcDateTime.ToString("MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
