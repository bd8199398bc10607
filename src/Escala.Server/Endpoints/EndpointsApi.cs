using System.Text.Json;
using Escala.Core.Access;
using Escala.Core.Endpoints;
using Escala.Core.Naming;
using Escala.Core.PredictionLog;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Core.Routing;
using Escala.Server.Security;
using Escala.Server.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Endpoints;

/// <summary>Endpoints over HTTP (the gateway's control plane): <c>/api/v1/endpoints</c>.</summary>
public static class EndpointsApi
{
    private static readonly JsonElement JsonNull = JsonDocument.Parse("null").RootElement.Clone();

    /// <summary>Maps the endpoint routes.</summary>
    public static IEndpointRouteBuilder MapEndpoints(this IEndpointRouteBuilder app)
    {
        var endpoints = app.MapGroup("/api/v1/endpoints").WithTags("Endpoints");
        endpoints.MapGet("/", List).RequireRole(Role.Viewer)
            .WithName("ListEndpoints").WithSummary("Every endpoint with its routing and targets.");
        endpoints.MapPost("/", Create).RequireRole(Role.Operator)
            .WithName("CreateEndpoint").WithSummary("Creates an endpoint with nothing deployed.");
        endpoints.MapGet("/{name}", Get).RequireRole(Role.Viewer)
            .WithName("GetEndpoint").WithSummary("An endpoint: routing per department, targets with breaker state and counts.");
        endpoints.MapPatch("/{name}/settings", UpdateSettings).RequireRole(Role.Operator)
            .WithName("UpdateEndpointSettings").WithSummary("Changes the deadline, default answer, log sample rate or subject field.");
        endpoints.MapPost("/{name}/deploy", Deploy).RequireRole(Role.Operator)
            .WithName("Deploy").WithSummary("Deploys a version or external backend with a strategy (single, split, canary, blue-green, shadow, ab), optionally for one department.");
        endpoints.MapPost("/{name}/promote", Promote).RequireRole(Role.Operator)
            .WithName("Promote").WithSummary("Moves the rollout one step forward (next canary step, switch to green, conclude a test).");
        endpoints.MapPost("/{name}/rollback", Rollback).RequireRole(Role.Operator)
            .WithName("Rollback").WithSummary("Returns traffic to the version that served before the current rollout.");
        endpoints.MapPut("/{name}/fallback", SetFallback).RequireRole(Role.Operator)
            .WithName("SetFallback").WithSummary("Sets the fallback version that answers when the routed one fails or misses its deadline.");
        endpoints.MapDelete("/{name}/fallback", ClearFallback).RequireRole(Role.Operator)
            .WithName("ClearFallback").WithSummary("Removes the fallback version.");
        endpoints.MapGet("/{name}/predictions", Predictions).RequireRole(Role.Scientist)
            .WithName("ListPredictions").WithSummary("Prediction log lines of the endpoint, newest first, or those of one request id.");
        return app;
    }

    private static async Task<Ok<EndpointResponse[]>> List(EndpointCatalog catalog, LiveEndpoints live, CancellationToken ct) =>
        TypedResults.Ok((await catalog.ListAsync(ct)).Select(e => EndpointResponse.From(e, Live(live, e.Name))).ToArray());

    private static async Task<Created<EndpointResponse>> Create(CreateEndpointRequest body, HttpContext http, EndpointOperations operations, LiveEndpoints live, CancellationToken ct)
    {
        var s = body.Settings;
        var settings = s is null ? null : new EndpointSettings(s.DeadlineMs, s.DefaultAnswer, s.LogSampleRate ?? 1.0, s.SubjectField, s.MemoryBudgetBytes, s.StageRules);
        var created = await operations.CreateAsync(http.GetPrincipal(), new EndpointDraft(body.Name, body.Department, body.Description, settings), ct);
        return TypedResults.Created($"/api/v1/endpoints/{created.Name}", EndpointResponse.From(created, Live(live, created.Name)));
    }

    private static async Task<Ok<EndpointResponse>> Get(string name, EndpointCatalog catalog, LiveEndpoints live, ShadowMirror shadows, TimeProvider time, CancellationToken ct)
    {
        var endpoint = await catalog.GetAsync(name, ct);
        var now = time.GetUtcNow();
        var agreements = shadows.AgreementsOf(name).OrderBy(a => a.Shadow, StringComparer.Ordinal).Select(a => ShadowAgreementView.From(a, now)).ToArray();
        return TypedResults.Ok(EndpointResponse.From(endpoint, Live(live, name)) with { Shadows = agreements });
    }

    private static async Task<Ok<EndpointChangeResponse>> UpdateSettings(string name, EndpointSettingsRequest body, HttpContext http, EndpointOperations operations, LiveEndpoints live, CancellationToken ct)
    {
        var change = await operations.UpdateSettingsAsync(http.GetPrincipal(), name,
            new SettingsChange(body.DeadlineMs, body.DefaultAnswer, body.ClearDefaultAnswer, body.LogSampleRate, body.SubjectField, body.MemoryBudgetBytes, body.StageRules, body.ClearStageRules), ct);
        return Changed(change, live);
    }

    private static async Task<Ok<EndpointChangeResponse>> Deploy(
        string name, DeployRequest body, HttpContext http, EndpointOperations operations, ModelRegistry registry, Core.Outbound.OutboundAllowList outbound, LiveEndpoints live, CancellationToken ct)
    {
        var strategy = Strategy.Single;
        if (body.Strategy is not null && !StrategyNames.TryParse(body.Strategy, out strategy))
        {
            throw ProblemTypes.ValidationFailed.With($"'{ResourceName.Printable(body.Strategy)}' is not a strategy; use one of {StrategyNames.All}.");
        }

        if (body.IntervalSeconds is { } seconds && (!double.IsFinite(seconds) || seconds <= 0 || seconds > 7 * 24 * 3600))
        {
            throw ProblemTypes.ValidationFailed.With($"The canary interval is {seconds} s; it must be above 0 and at most a week.");
        }

        var target = await TargetOf(body.Version, body.External, registry, outbound, ct);
        var deployment = new Deployment(
            target,
            strategy,
            body.Department,
            body.Percent,
            body.Steps is null ? null : [.. body.Steps],
            body.IntervalSeconds is { } s ? TimeSpan.FromSeconds(s) : null);
        return Changed(await operations.DeployAsync(http.GetPrincipal(), name, deployment, ct), live);
    }

    private static async Task<Ok<EndpointChangeResponse>> Promote(string name, HttpContext http, EndpointOperations operations, LiveEndpoints live, CancellationToken ct)
    {
        var body = await OptionalBodyAsync<PromoteRequest>(http, ct) ?? new PromoteRequest();
        return Changed(await operations.PromoteAsync(http.GetPrincipal(), name, body.Department, body.To, ct), live);
    }

    private static async Task<Ok<EndpointChangeResponse>> Rollback(string name, HttpContext http, EndpointOperations operations, LiveEndpoints live, CancellationToken ct)
    {
        var body = await OptionalBodyAsync<RollbackRequest>(http, ct) ?? new RollbackRequest();
        return Changed(await operations.RollbackAsync(http.GetPrincipal(), name, body.Department, ct), live);
    }

    private static async Task<Ok<EndpointChangeResponse>> SetFallback(
        string name, FallbackRequest body, HttpContext http, EndpointOperations operations, ModelRegistry registry, Core.Outbound.OutboundAllowList outbound, LiveEndpoints live, CancellationToken ct)
    {
        var target = await TargetOf(body.Version, body.External, registry, outbound, ct);
        return Changed(await operations.SetFallbackAsync(http.GetPrincipal(), name, target, ct), live);
    }

    private static async Task<Ok<EndpointChangeResponse>> ClearFallback(string name, HttpContext http, EndpointOperations operations, LiveEndpoints live, CancellationToken ct) =>
        Changed(await operations.SetFallbackAsync(http.GetPrincipal(), name, null, ct), live);

    private static async Task<Ok<PredictionLogLine[]>> Predictions(string name, string? requestId, int? limit, HttpContext http, EndpointCatalog catalog, IPredictionLogStore log, CancellationToken ct)
    {
        var endpoint = await catalog.GetAsync(name, ct);

        // The owning department (and organisation-wide keys) read every line; any other department key reads only
        // the lines of requests attributed to its own departments: inputs and outputs are the departments' data.
        var caller = http.GetPrincipal();
        var departments = caller.MayActFor(endpoint.Department) ? null : (IReadOnlyList<string>)[.. caller.Departments];
        if (limit is < 1 or > 10_000)
        {
            throw ProblemTypes.ValidationFailed.With($"limit is {limit}; ask for 1 to 10000 lines.");
        }

        var lines = await log.QueryAsync(new PredictionLogQuery(name, requestId, limit ?? 100, departments), ct);
        return TypedResults.Ok(lines.Select(l => new PredictionLogLine(
            l.RequestId,
            l.Kind == PredictionKind.Shadow ? "shadow" : "served",
            l.At,
            l.Version,
            l.Department,
            l.Subject,
            l.Source,
            l.FailureReason,
            Json(l.Inputs),
            Json(l.Outputs),
            l.LatencyMicroseconds / 1000.0,
            l.Comparison is null ? null : JsonDocument.Parse(l.Comparison).RootElement.Clone())).ToArray());
    }

    private static JsonElement Json(ReadOnlyMemory<byte> utf8)
    {
        // A failed request is logged without inputs or outputs (nothing was answered): shown as null.
        if (utf8.IsEmpty)
        {
            return JsonNull;
        }

        using var document = JsonDocument.Parse(utf8);
        return document.RootElement.Clone();
    }

    private static async Task<ServingTarget> TargetOf(string? version, ExternalBackendRequest? external, ModelRegistry registry, Core.Outbound.OutboundAllowList outbound, CancellationToken ct)
    {
        if ((version is null) == (external is null))
        {
            throw ProblemTypes.ValidationFailed.With("Name exactly one target: \"version\" (MODEL:VERSION, e.g. credit-risk:2) or \"external\" (an Open Inference Protocol v2 server).");
        }

        if (external is not null)
        {
            ResourceName.Require("external backend", external.Name);
            if (!Uri.TryCreate(external.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw ProblemTypes.ValidationFailed.With("The external backend URL must be an absolute http:// or https:// address.");
            }

            await outbound.RequireAllowedAsync(url, "backend", "external backend URL", ct);

            var model = FreeText.Required("external model name", external.Model, 200);
            return new ExternalTarget(external.Name, url, model, FreeText.Optional("external model version", external.Version, 64));
        }

        // MODEL:VERSION, or MODEL:ALIAS resolved now: a deployment always pins a version number.
        var colon = version!.LastIndexOf(':');
        if (colon <= 0 || colon == version.Length - 1)
        {
            throw ProblemTypes.ValidationFailed.With($"'{ResourceName.Printable(version)}' is not a version reference; write MODEL:VERSION, e.g. credit-risk:2 (or MODEL:ALIAS).");
        }

        var found = await registry.GetVersionAsync(version[..colon], version[(colon + 1)..], ct);
        return new LocalModelTarget(found.Model, found.Version);
    }

    private static async Task<T?> OptionalBodyAsync<T>(HttpContext http, CancellationToken ct)
        where T : class
    {
        if (http.Request.ContentLength is 0 || (http.Request.ContentLength is null && !http.Request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return null;
        }

        if (!http.Request.HasJsonContentType())
        {
            throw ProblemTypes.UnsupportedMediaType.With("Send the body as application/json (or send no body).");
        }

        try
        {
            return await http.Request.ReadFromJsonAsync<T>(Hosting.EscalaJson.Options, ct);
        }
        catch (JsonException e)
        {
            throw ProblemTypes.ValidationFailed.With($"The body is not valid JSON for this request: {e.Message}");
        }
    }

    private static Ok<EndpointChangeResponse> Changed(EndpointChange change, LiveEndpoints live) =>
        TypedResults.Ok(new EndpointChangeResponse(change.Message, EndpointResponse.From(change.After, Live(live, change.After.Name))));

    private static ServingSnapshot? Live(LiveEndpoints live, string name) => live.TryGet(name, out var s) ? s : null;
}
