using Escala.Core.Access;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Onnx;
using Escala.Server.Hosting;
using Escala.Server.Monitoring.Live;
using Escala.Server.Registry;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Monitoring.Baselines;

/// <summary>A version's baseline as the API shows it.</summary>
/// <param name="Model">The model.</param>
/// <param name="Version">The version.</param>
/// <param name="Summary">Source, rows, features, prediction column, SHA-256, when and by whom.</param>
/// <param name="Profile">The profile itself (per-feature bins, categories, missing rates).</param>
public sealed record BaselineResponse(string Model, int Version, BaselineSummary Summary, BaselineProfile Profile);

/// <summary>
/// <c>/api/v1/models/{model}/versions/{version}/baseline</c>: attach or replace a version's baseline from a reference
/// table (CSV body), or read it. Registration can carry the same CSV as its <c>baseline</c> part.
/// </summary>
public static class BaselinesApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapBaselines(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/models/{model}/versions/{version}/baseline").WithTags("Monitoring");
        group.MapGet("/", Get).RequireRole(Role.Viewer)
            .WithName("GetBaseline").WithSummary("The version's baseline profile with its summary.");
        group.MapPut("/", Set).RequireRole(Role.Scientist).WithBodySizeLimit(ModelUpload.MaxBaselineBytes)
            .WithName("SetBaseline")
            .WithSummary("Attaches or replaces the version's baseline from a reference CSV body (text/csv; header = the model's features; ?missing=NA,? sets the missing markers).");
        return app;
    }

    /// <summary>
    /// Profiles a reference CSV for the model in <paramref name="model"/>: the inspector refuses a bad model first
    /// (with its own problem), the engine scores the rows for the prediction's profile.
    /// </summary>
    public static BaselineProfile Profile(ReadOnlyMemory<byte> csv, ReadOnlyMemory<byte> model, IModelInspector inspector, IReadOnlySet<string>? missing)
    {
        ArgumentNullException.ThrowIfNull(inspector);
        var signature = inspector.Inspect(model).Signature;
        InferenceSession session;
        try
        {
            session = InferenceSession.Load(model.Span);
        }
        catch (OnnxException e)
        {
            throw ProblemTypes.UnsupportedModel.With($"Escala's engine cannot run this model: {e.Message}", e);
        }

        return ReferenceBaselines.Build(csv, signature, session, missing);
    }

    private static async Task<JsonHttpResult<BaselineResponse>> Get(string model, string version, VersionBaselines baselines, CancellationToken ct)
    {
        var stored = await baselines.GetAsync(model, version, ct);
        return TypedResults.Json(new BaselineResponse(stored.Model, stored.Version, stored.Summary(), stored.Profile), MonitoringJson.Options);
    }

    private static async Task<JsonHttpResult<BaselineResponse>> Set(
        string model, string version, string? missing, HttpContext http, ModelRegistry registry, VersionBaselines baselines, IModelInspector inspector,
        MonitorDirectory monitors, Explaining.ExplanationBackgrounds backgrounds, CancellationToken ct)
    {
        var contentType = http.Request.ContentType ?? "";
        if (!contentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) && !contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            throw ProblemTypes.UnsupportedMediaType.With("Send the reference table as text/csv: a header naming the model's features, then one row per line.");
        }

        var caller = http.GetPrincipal();
        var found = await registry.GetVersionAsync(model, version, ct);
        ModelRegistry.RequireScope(caller, await registry.GetModelAsync(found.Model, ct));
        var csv = await ModelUpload.ReadBoundedAsync(http.Request.Body, ModelUpload.MaxBaselineBytes, "baseline reference table", ct);
        var (_, artifact) = await registry.LoadArtifactAsync(found.Model, found.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
        var profile = Profile(csv, artifact, inspector, Markers(missing));
        var stored = await baselines.SetAsync(caller, found, profile, BaselineSource.Reference, ct);
        await monitors.ReloadAsync(found.Model, found.Version);
        await backgrounds.CaptureAsync(caller, found.Model, found.Version, csv, ct);
        return TypedResults.Json(new BaselineResponse(stored.Model, stored.Version, stored.Summary(), stored.Profile), MonitoringJson.Options);
    }

    private static HashSet<string>? Markers(string? missing)
    {
        if (missing is null)
        {
            return null;
        }

        var markers = missing.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        if (markers.Count > 50 || markers.Any(m => m.Length > 50))
        {
            throw ProblemTypes.ValidationFailed.With("missing takes at most 50 markers of at most 50 characters, separated by commas.");
        }

        return markers;
    }

}
