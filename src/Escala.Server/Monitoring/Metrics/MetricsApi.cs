using Escala.Core.Access;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Monitoring.Metrics;

/// <summary><c>GET /metrics</c>: the Prometheus text exposition (viewer key: Prometheus sends it as a bearer token).</summary>
public static class MetricsApi
{
    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", (MetricsExposition exposition) => Results.Text(exposition.Render(), PrometheusText.ContentType))
            .RequireRole(Role.Viewer).WithTags("Monitoring")
            .WithName("Metrics").WithSummary("Prometheus text exposition (format 0.0.4) of requests, latency, SLO, data quality, drift, alerts and ground truth.");
        return app;
    }
}
