using Escala.Core.Access;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Monitoring.GroundTruth;

/// <summary><c>GET /api/v1/endpoints/{endpoint}/accuracy</c>: ground-truth metrics per version (and department) over a period.</summary>
public static class AccuracyApi
{
    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapAccuracy(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/endpoints/{endpoint}/accuracy", Get).RequireRole(Role.Viewer).WithTags("Monitoring")
            .WithName("GetAccuracy")
            .WithSummary("Ground-truth metrics of predictions made in ?window= (default 24h), per version, or per version and department with ?by=department; with the registered values and the drop.");
        return app;
    }

    private static async Task<JsonHttpResult<AccuracyView>> Get(string endpoint, string? window, string? by, GroundTruthMetricsSource groundTruth, CancellationToken ct)
    {
        if (by is not (null or "version" or "department"))
        {
            throw Core.Problems.ProblemTypes.ValidationFailed.With("by must be version or department.");
        }

        return TypedResults.Json(await groundTruth.GetAsync(endpoint, window ?? "24h", by == "department", ct), MonitoringJson.Options);
    }
}
