using System.Globalization;
using System.Text;
using Escala.Core.Access;
using Escala.Core.Endpoints;
using Escala.Core.PredictionLog;
using Escala.Core.Problems;
using Escala.Core.Routing;
using Escala.Server.Endpoints;
using Escala.Server.Pages;
using Escala.Server.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Dashboard.Pages;

/// <summary>
/// <c>/endpoints/{endpoint}</c>: the routing table (each scope's policy with its weights, department rules), canary
/// progress, the fallback and every target's circuit state and counts, a live chart of traffic per version, promote /
/// rollback for operators, and the newest prediction log lines for scientists and above.
/// </summary>
public sealed class EndpointPage : IDashboardPage
{
    /// <summary>Prediction log lines shown.</summary>
    public const int LogLines = 20;

    /// <inheritdoc/>
    public NavEntry? Nav => null;

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/endpoints/{endpoint}", RenderAsync).RequireSessionRole(Role.Viewer).ExcludeFromDescription();
        routes.MapGet("/endpoints/{endpoint}/live", LiveTraffic.StreamAsync).RequireSessionRole(Role.Viewer).ExcludeFromDescription();
        routes.MapPost("/endpoints/{endpoint}/promote", PromoteAsync).RequireSessionRole(Role.Operator).ProtectForm().ExcludeFromDescription();
        routes.MapPost("/endpoints/{endpoint}/rollback", RollbackAsync).RequireSessionRole(Role.Operator).ProtectForm().ExcludeFromDescription();
    }

    private static async Task<IResult> RenderAsync(string endpoint, HttpContext http, EndpointCatalog catalog, LiveEndpoints live, IPredictionLogStore log, TimeProvider time, CancellationToken ct)
    {
        var caller = http.Caller();
        var c = CultureInfo.InvariantCulture;
        Core.Endpoints.Endpoint stored;
        try
        {
            stored = await catalog.GetAsync(endpoint, ct);
        }
        catch (ProblemException missing) when (missing.Type == ProblemTypes.NotFound)
        {
            return DashboardResults.Refused(http, StatusCodes.Status404NotFound, missing.Detail);
        }

        var view = EndpointResponse.From(stored, live.TryGet(endpoint, out var snapshot) ? snapshot : null);
        var path = "/endpoints/" + Uri.EscapeDataString(endpoint);
        var html = new StringBuilder(16 * 1024);
        html.Append("<h1>Endpoint ").Text(stored.Name).Append("</h1>\n").Append(DashboardResults.Notice(http));
        html.Append("<p>").Text(stored.Description ?? "No description.").Append(" <span class=\"muted\">Owned by ").Text(stored.Department ?? "the whole organisation")
            .Append(c, $"; generation {stored.Generation}, changed ").Time(stored.UpdatedAt).Append(".</span></p>\n");

        html.Append("<h2>Live traffic per version</h2>\n")
            .Append("<div class=\"live\" data-live=\"").Text(path + "/live").Append("\" aria-live=\"off\">")
            .Append(LiveTraffic.Panel([], 0)).Append("</div>\n")
            .Append("<p class=\"muted\">Requests per second over the last minute, updated every second while this page is open.</p>\n");

        html.Append("<h2>Routing</h2>\n");
        var scopes = stored.Routing.Scopes().ToList();
        if (scopes.Count == 0)
        {
            html.Append(DashboardLayout.Empty("Nothing is deployed on this endpoint.", $"An operator deploys a version: <code>escala deploy {Html.Encode(stored.Name)} --version MODEL:N</code>."));
        }
        else
        {
            html.Append("<table><thead><tr><th scope=\"col\">who</th><th scope=\"col\">policy</th><th scope=\"col\">weights</th><th scope=\"col\">progress</th><th scope=\"col\">actions</th></tr></thead>\n");
            foreach (var (department, policy) in scopes)
            {
                var shape = policy.Shape();
                html.Append("<tr><th scope=\"row\">").Text(department is null ? "everyone else (default)" : "department " + department).Append("</th><td>").Text(policy.Describe()).Append("</td><td>");
                // Weights are relative; shown as shares of the scope's traffic.
                var sum = Math.Max(1e-12, shape.Serving.Sum(w => w.Weight));
                foreach (var w in shape.Serving)
                {
                    var share = w.Weight / sum * 100;
                    html.Append(c, $"<div><span class=\"meter\" aria-hidden=\"true\"><span style=\"width:{share:0.#}%\"></span></span> ").Text(w.Target).Append(c, $" {share:0.##}%</div>");
                }

                if (shape.Shadow is { } shadow)
                {
                    html.Append("<div>shadow: ").Text(shadow).Append(c, $" ({shape.ShadowPercent:0.##}% mirrored)</div>");
                }

                html.Append("</td><td>");
                if (policy is CanaryPolicy canary)
                {
                    html.Append(c, $"step {canary.Step + 1} of {canary.Steps.Length}: {canary.CurrentPercent:0.##}% to ").Text(canary.Canary)
                        .Append(c, $" ({string.Join(" → ", canary.Steps.Select(s => s.ToString("0.##", c) + "%"))})");
                    if (canary.AdvanceDueAt is { } due)
                    {
                        html.Append("; next step ").Time(due);
                    }
                }
                else
                {
                    html.Append(policy.Strategy == Strategy.Single ? "steady" : "in progress");
                }

                html.Append("</td><td>");
                if (policy.Strategy != Strategy.Single)
                {
                    var scope = department is null ? null : $"<input type=\"hidden\" name=\"department\" value=\"{Html.Encode(department)}\">";
                    html.Append(DashboardLayout.ActionButton(caller, Role.Operator, path + "/promote", "Promote", null, scope)).Append(' ')
                        .Append(DashboardLayout.ActionButton(caller, Role.Operator, path + "/rollback", "Roll back", "danger", scope));
                }

                html.Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("<h2>Targets, fallbacks and circuits</h2>\n<p>Fallback version: ").Text(view.Routing.Fallback ?? "none").Append(". Default answer: ")
            .Append(stored.Settings.DefaultAnswer is null ? "none" : "configured").Append(".</p>\n");
        html.Append("<table><thead><tr><th scope=\"col\">target</th><th scope=\"col\">kind</th><th scope=\"col\">loaded</th><th scope=\"col\">circuit</th><th scope=\"col\" class=\"num\">answered</th><th scope=\"col\" class=\"num\">as fallback</th><th scope=\"col\" class=\"num\">failed</th><th scope=\"col\" class=\"num\">shadowed</th></tr></thead>\n");
        foreach (var t in view.Targets)
        {
            html.Append("<tr><td>").Text(t.Key).Append("</td><td>").Text(t.Kind).Append("</td><td>").Append(t.Available ? "<span class=\"ok\">✓ yes</span>" : "<span class=\"bad\">✗ no</span>")
                .Append(" <span class=\"muted\">").Text(t.Description).Append("</span></td><td class=\"").Append(t.Breaker == "closed" ? "ok" : t.Breaker == "unknown" ? "muted" : "bad").Append("\">").Text(t.Breaker)
                .Append(c, $"</td><td class=\"num\">{t.Answered:N0}</td><td class=\"num\">{t.AnsweredAsFallback:N0}</td><td class=\"num\">{t.Failed:N0}</td><td class=\"num\">{t.Shadowed:N0}</td></tr>\n");
        }

        html.Append("</table>\n<h2>Prediction log</h2>\n");
        if (!caller.Principal.HasRole(Role.Scientist))
        {
            html.Append("<p class=\"muted\">The prediction log holds inputs; reading it needs the scientist role or above.</p>\n");
        }
        else
        {
            var lines = await log.QueryAsync(new PredictionLogQuery(endpoint, null, LogLines), ct);
            if (lines.Count == 0)
            {
                html.Append(DashboardLayout.Empty("No prediction is logged yet.", $"Send one: <code>escala predict {Html.Encode(stored.Name)} --input row.json</code>; lines appear within a second."));
            }
            else
            {
                html.Append("<table><thead><tr><th scope=\"col\">at</th><th scope=\"col\">request</th><th scope=\"col\">kind</th><th scope=\"col\">version</th><th scope=\"col\">department</th><th scope=\"col\">answered by</th><th scope=\"col\" class=\"num\">latency</th><th scope=\"col\">outputs</th></tr></thead>\n");
                foreach (var l in lines)
                {
                    var outputs = System.Text.Encoding.UTF8.GetString(l.Outputs.Span);
                    html.Append("<tr><td>").Time(l.At).Append("</td><td><code>").Text(l.RequestId).Append("</code></td><td>").Append(l.Kind == PredictionKind.Shadow ? "shadow" : "served")
                        .Append("</td><td>").Text(l.Version).Append("</td><td>").Text(l.Department).Append("</td><td>").Text(l.FailureReason is null ? l.Source : $"{l.Source} ({l.FailureReason})")
                        .Append(c, $"</td><td class=\"num\">{l.LatencyMicroseconds / 1000.0:0.###} ms</td><td><code>").Text(outputs.Length > 80 ? outputs[..79] + "…" : outputs).Append("</code></td></tr>\n");
                }

                html.Append("</table>\n");
            }
        }

        html.Append("<p><a href=\"/monitoring?endpoint=").Text(Uri.EscapeDataString(endpoint)).Append("\">Drift, data quality, accuracy and status of this endpoint</a></p>\n");
        return DashboardResults.Page(http, stored.Name, html.ToString());
    }

    private static async Task<IResult> PromoteAsync(string endpoint, HttpContext http, EndpointOperations operations, CancellationToken ct)
    {
        var department = (await http.Request.ReadFormAsync(ct))["department"].ToString();
        return await DashboardResults.ActAsync("/endpoints/" + Uri.EscapeDataString(endpoint), async () =>
            (await operations.PromoteAsync(http.Caller().Principal, endpoint, department.Length == 0 ? null : department, null, ct)).Message);
    }

    private static async Task<IResult> RollbackAsync(string endpoint, HttpContext http, EndpointOperations operations, CancellationToken ct)
    {
        var department = (await http.Request.ReadFormAsync(ct))["department"].ToString();
        return await DashboardResults.ActAsync("/endpoints/" + Uri.EscapeDataString(endpoint), async () =>
            (await operations.RollbackAsync(http.Caller().Principal, endpoint, department.Length == 0 ? null : department, ct)).Message);
    }
}
