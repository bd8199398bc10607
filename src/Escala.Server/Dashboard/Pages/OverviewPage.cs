using System.Globalization;
using System.Text;
using Escala.Core.Access;
using Escala.Core.Endpoints;
using Escala.Core.Registry;
using Escala.Core.Routing;
using Escala.Server.Monitoring.Alerts;
using Escala.Server.Monitoring.Live;
using Escala.Server.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Dashboard.Pages;

/// <summary>
/// <c>/</c>: every endpoint with its requests per second, error rate and p99 over the last minute, availability against
/// its objective and the alerts firing on it; the rollouts in progress; the approvals waiting.
/// </summary>
public sealed class OverviewPage : IDashboardPage
{
    /// <inheritdoc/>
    public NavEntry? Nav { get; } = new("Overview", "/", Role.Viewer, 0);

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder routes) => routes.MapGet("/", RenderAsync).RequireSessionRole(Role.Viewer).ExcludeFromDescription();

    private static async Task<IResult> RenderAsync(
        HttpContext http, EndpointCatalog catalog, Promotions promotions, LiveMetrics metrics, CounterHistory history, HealthBoard health,
        AlertEngine alerts, TimeProvider time, CancellationToken ct)
    {
        var c = CultureInfo.InvariantCulture;
        var now = time.GetUtcNow();
        var endpoints = await catalog.ListAsync(ct);
        var html = new StringBuilder(8192);
        html.Append("<h1>Overview</h1>\n").Append(DashboardResults.Notice(http));
        html.Append("<h2>Endpoints</h2>\n");
        if (endpoints.Count == 0)
        {
            html.Append(DashboardLayout.Empty("No endpoint serves a model yet.",
                "An operator creates one and deploys a registered version: <code>escala endpoints create credit-risk</code>, then <code>escala deploy credit-risk --version credit-risk:1</code>."));
        }
        else
        {
            html.Append("<table><thead><tr><th scope=\"col\">endpoint</th><th scope=\"col\">serving</th><th scope=\"col\" class=\"num\">requests/s (1 min)</th>")
                .Append("<th scope=\"col\" class=\"num\">error rate</th><th scope=\"col\" class=\"num\">p99</th><th scope=\"col\">availability vs objective</th><th scope=\"col\">alerts firing</th></tr></thead>\n");
            foreach (var endpoint in endpoints)
            {
                var (counts, latency, covered) = history.Over(metrics, endpoint.Name, TimeSpan.FromMinutes(1), now);
                var seconds = Math.Max(1, covered.TotalSeconds);
                var firing = alerts.Firing.Count(a => a.Rule.Endpoint == endpoint.Name);
                html.Append("<tr><td><a href=\"/endpoints/").Text(Uri.EscapeDataString(endpoint.Name)).Append("\">").Text(endpoint.Name).Append("</a></td><td>")
                    .Text(endpoint.Routing.Default?.Describe() ?? "nothing deployed").Append("</td>")
                    .Append(c, $"<td class=\"num\">{counts.Requests / seconds:0.##}</td>")
                    .Append("<td class=\"num\">").Append(counts.Requests == 0 ? "–" : string.Create(c, $"{(double)counts.Errors / counts.Requests * 100:0.##}%")).Append("</td>")
                    .Append("<td class=\"num\">").Append(latency.Count == 0 ? "–" : string.Create(c, $"{latency.Quantile(0.99) / 1000:0.##} ms")).Append("</td><td>");
                if (health.All.TryGetValue(endpoint.Name, out var h))
                {
                    var met = double.IsNaN(h.Availability) || h.Availability >= h.Slo.Target;
                    html.Append(c, $"<span class=\"{(met ? "ok" : "bad")}\">{(met ? "✓ meets" : "✗ below")}</span> ")
                        .Append(double.IsNaN(h.Availability) ? "no traffic yet" : string.Create(c, $"{h.Availability * 100:0.###}%"))
                        .Append(c, $" (objective {h.Slo.Target * 100:0.###}%)");
                }
                else
                {
                    html.Append("<span class=\"muted\">not computed yet</span>");
                }

                html.Append("</td><td>").Append(firing == 0 ? "<span class=\"ok\">none</span>" : string.Create(c, $"<span class=\"bad\">{firing} firing</span>")).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("<h2>Rollouts in progress</h2>\n");
        var rollouts = endpoints.SelectMany(e => e.Routing.Scopes().Where(s => s.Policy.Strategy != Strategy.Single).Select(s => (Endpoint: e, s.Department, s.Policy))).ToList();
        if (rollouts.Count == 0)
        {
            html.Append(DashboardLayout.Empty("No rollout is in progress.", "Start one with <code>escala deploy ENDPOINT --version MODEL:N --strategy canary</code>; its steps show here."));
        }
        else
        {
            html.Append("<ul>\n");
            foreach (var (endpoint, department, policy) in rollouts)
            {
                html.Append("<li><a href=\"/endpoints/").Text(Uri.EscapeDataString(endpoint.Name)).Append("\">").Text(endpoint.Name).Append("</a>")
                    .Append(department is null ? "" : " for " + Html.Encode(department)).Append(": ").Text(policy.Describe()).Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        var pending = await promotions.ListAsync(ApprovalStatus.Pending, null, ct);
        html.Append("<h2>Approvals waiting</h2>\n");
        html.Append(pending.Count == 0
            ? "<p>None: every stage change asked for has been decided.</p>\n"
            : string.Create(c, $"<p><a href=\"/models#approvals\">{pending.Count} request{(pending.Count == 1 ? "" : "s")}</a> waiting for an approver.</p>\n"));
        html.Append("<p class=\"muted\">As of ").Time(now).Append(". Adoption, cost and pipelines appear here when those capabilities are installed.</p>\n");
        return DashboardResults.Page(http, "Overview", html.ToString());
    }
}
