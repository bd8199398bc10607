using Escala.Core.Access;
using Escala.Core.Monitoring.Drift;
using Escala.Server.Pages;
using Escala.Server.Pages.Reports;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Monitoring.Drift;

/// <summary><c>/api/v1/endpoints/{endpoint}/drift</c>: drift reports as JSON and as an HTML page with inline SVG histograms.</summary>
public static class DriftApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapDrift(this IEndpointRouteBuilder app)
    {
        var drift = app.MapGroup("/api/v1/endpoints/{endpoint}/drift").WithTags("Monitoring");
        drift.MapGet("/", Get).RequireRole(Role.Viewer)
            .WithName("GetDriftReport")
            .WithSummary("A drift report: ?version= (default: the newest), ?window=latest|current|<report id>|<period such as 6h> (periods merge the stored windows).");
        drift.MapGet("/html", Html).RequireRole(Role.Viewer)
            .WithName("GetDriftReportHtml").WithSummary("The same report as a standalone HTML page with a histogram per feature.");
        drift.MapGet("/reports", List).RequireRole(Role.Viewer)
            .WithName("ListDriftReports").WithSummary("Closed windows newest first, with their drifted share and features; ?version=, ?limit= (1-1000).");
        return app;
    }

    private static async Task<JsonHttpResult<DriftView>> Get(string endpoint, string? version, string? window, DriftReports reports, CancellationToken ct) =>
        TypedResults.Json(await reports.GetAsync(endpoint, version, window, ct), MonitoringJson.Options);

    private static async Task<ContentHttpResult> Html(string endpoint, string? version, string? window, HttpContext http, DriftReports reports, CancellationToken ct)
    {
        var view = await reports.GetAsync(endpoint, version, window, ct);
        http.Response.Headers.ContentSecurityPolicy = PageLayout.StandalonePolicy;
        return TypedResults.Content(DriftReportPage.Render(view.Endpoint, view.Version, view.Description, view.Report, view.Policy), "text/html; charset=utf-8");
    }

    private static async Task<JsonHttpResult<DriftReportSummary[]>> List(string endpoint, string? version, int? limit, DriftReports reports, CancellationToken ct) =>
        TypedResults.Json((await reports.ListAsync(endpoint, version, limit ?? 50, ct)).ToArray(), MonitoringJson.Options);
}
