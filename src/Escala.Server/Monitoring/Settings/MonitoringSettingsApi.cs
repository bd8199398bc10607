using Escala.Core.Access;
using Escala.Core.Monitoring.Settings;
using Escala.Server.Monitoring.Live;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Monitoring.Settings;

/// <summary>An endpoint's monitoring settings as the API shows them.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Settings">The settings in force.</param>
/// <param name="IsDefault">True when nobody set them (the defaults apply).</param>
/// <param name="UpdatedAt">When they were set.</param>
/// <param name="UpdatedBy">Who set them.</param>
public sealed record MonitoringSettingsResponse(string Endpoint, MonitoringSettings Settings, bool IsDefault, DateTimeOffset? UpdatedAt, string? UpdatedBy);

/// <summary><c>/api/v1/endpoints/{endpoint}/monitoring</c>: read and replace an endpoint's monitoring settings.</summary>
public static class MonitoringSettingsApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapMonitoringSettings(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/endpoints/{endpoint}/monitoring").WithTags("Monitoring");
        group.MapGet("/", Get).RequireRole(Role.Viewer)
            .WithName("GetMonitoringSettings").WithSummary("The endpoint's monitoring settings (the defaults until someone sets them).");
        group.MapPut("/", Set).RequireRole(Role.Operator)
            .WithName("SetMonitoringSettings")
            .WithSummary("Replaces the endpoint's monitoring settings: quality (flag|reject|off), rangeTolerance, missing, drift policy, window, slo, otlpEndpoint, baselineFromPredictions, groundTruth.");
        return app;
    }

    private static async Task<JsonHttpResult<MonitoringSettingsResponse>> Get(string endpoint, MonitoringConfiguration configuration, CancellationToken ct)
    {
        var stored = await configuration.GetAsync(endpoint, ct);
        return TypedResults.Json(Response(endpoint, stored), MonitoringJson.Options);
    }

    private static async Task<JsonHttpResult<MonitoringSettingsResponse>> Set(
        string endpoint, HttpContext http, MonitoringConfiguration configuration, MonitorDirectory monitors, CancellationToken ct)
    {
        await configuration.RequireEndpointAsync(endpoint, ct);
        var settings = await MonitoringJson.ReadAsync<MonitoringSettings>(http.Request, "monitoring settings", ct);
        var stored = await configuration.SetAsync(http.GetPrincipal(), endpoint, settings, ct);

        // The answer means the new settings apply: the endpoint's monitors are rebuilt on them before it is sent.
        await monitors.ReloadAsync(endpoint);
        return TypedResults.Json(Response(endpoint, stored), MonitoringJson.Options);
    }

    private static MonitoringSettingsResponse Response(string endpoint, StoredMonitoringSettings? stored) =>
        stored is null
            ? new MonitoringSettingsResponse(endpoint, MonitoringSettings.Defaults, true, null, null)
            : new MonitoringSettingsResponse(stored.Endpoint, stored.Settings, false, stored.UpdatedAt, stored.UpdatedBy);
}
