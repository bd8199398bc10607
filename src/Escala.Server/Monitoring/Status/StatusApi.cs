using Escala.Core.Access;
using Escala.Core.Monitoring.Status;
using Escala.Server.Pages;
using Escala.Server.Pages.Reports;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Monitoring.Status;

/// <summary><c>/api/v1/endpoints/{endpoint}/status</c>: availability against the SLO, uptime and incidents, as JSON and as an HTML page.</summary>
public static class StatusApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder app)
    {
        var status = app.MapGroup("/api/v1/endpoints/{endpoint}/status").WithTags("Monitoring");
        status.MapGet("/", Get).RequireRole(Role.Viewer)
            .WithName("GetEndpointStatus").WithSummary("Availability and error budget over the SLO period, burn rates, daily history, incidents and versions.");
        status.MapGet("/html", Html).RequireRole(Role.Viewer)
            .WithName("GetEndpointStatusHtml").WithSummary("The endpoint's status page as HTML.");
        return app;
    }

    private static async Task<JsonHttpResult<EndpointStatus>> Get(string endpoint, StatusReports reports, CancellationToken ct) =>
        TypedResults.Json(await reports.GetAsync(endpoint, ct), MonitoringJson.Options);

    private static async Task<ContentHttpResult> Html(string endpoint, HttpContext http, StatusReports reports, CancellationToken ct)
    {
        var status = await reports.GetAsync(endpoint, ct);
        http.Response.Headers.ContentSecurityPolicy = PageLayout.StandalonePolicy;
        return TypedResults.Content(StatusPage.Render(status), "text/html; charset=utf-8");
    }
}
