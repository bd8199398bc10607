using System.Text.Json;
using Escala.Core.Endpoints;
using Escala.Core.Routing;
using Escala.Server.Serving;

namespace Escala.Server.Endpoints;

/// <summary>A new endpoint.</summary>
public sealed record CreateEndpointRequest(string Name, string? Department = null, string? Description = null, EndpointSettingsRequest? Settings = null);

/// <summary>
/// Endpoint settings as sent: null fields keep their value (<c>clearDefaultAnswer</c> removes the default answer,
/// <c>clearStageRules</c> returns to the server's stage rules; stage rules need an admin key).
/// </summary>
public sealed record EndpointSettingsRequest(
    int? DeadlineMs = null,
    JsonElement? DefaultAnswer = null,
    bool ClearDefaultAnswer = false,
    double? LogSampleRate = null,
    string? SubjectField = null,
    long? MemoryBudgetBytes = null,
    StageRules? StageRules = null,
    bool ClearStageRules = false);

/// <summary>
/// A deployment: <c>version</c> (<c>MODEL:VERSION</c> or <c>MODEL:ALIAS</c>) or <c>external</c> (an Open
/// Inference Protocol v2 server), the strategy (single, split, canary, blue-green, shadow, ab; default
/// single) and its options. <c>department</c> limits the rollout to that department's traffic.
/// </summary>
public sealed record DeployRequest(
    string? Version = null,
    ExternalBackendRequest? External = null,
    string? Strategy = null,
    string? Department = null,
    double? Percent = null,
    double[]? Steps = null,
    double? IntervalSeconds = null);

/// <summary>An external Open Inference Protocol v2 backend: the name answers report, its root URL, and its model (and version).</summary>
public sealed record ExternalBackendRequest(string Name, string Url, string Model, string? Version = null);

/// <summary>Which scope to promote (and, where there is a choice, the winner).</summary>
public sealed record PromoteRequest(string? Department = null, string? To = null);

/// <summary>Which scope to roll back.</summary>
public sealed record RollbackRequest(string? Department = null);

/// <summary>The fallback version (<c>MODEL:VERSION</c>) or external backend.</summary>
public sealed record FallbackRequest(string? Version = null, ExternalBackendRequest? External = null);

/// <summary>An endpoint as stored and as served now.</summary>
public sealed record EndpointResponse(
    string Name,
    string? Department,
    string? Description,
    long Generation,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    EndpointSettings Settings,
    RoutingSummary Routing,
    IReadOnlyList<TargetStatus> Targets,
    IReadOnlyList<ShadowAgreementView>? Shadows = null)
{
    /// <summary>The response for a stored endpoint and, when it is being served, its live snapshot.</summary>
    public static EndpointResponse From(Endpoint endpoint, ServingSnapshot? live)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var targets = endpoint.Routing.Targets.Select(t =>
        {
            var runtime = live?.Targets.FirstOrDefault(r => r.Key == t.Key && live.Endpoint.Generation == endpoint.Generation)
                ?? live?.Targets.FirstOrDefault(r => r.Key == t.Key);
            return TargetStatus.From(t, runtime);
        }).ToArray();
        var routing = new RoutingSummary(
            endpoint.Routing.Default?.Describe(),
            [.. endpoint.Routing.Departments.Select(d => new DepartmentRouting(d.Department, d.Policy.Describe()))],
            endpoint.Routing.Fallback,
            endpoint.Routing);
        return new EndpointResponse(endpoint.Name, endpoint.Department, endpoint.Description, endpoint.Generation,
            endpoint.CreatedAt, endpoint.CreatedBy, endpoint.UpdatedAt, endpoint.Settings, routing, targets);
    }
}

/// <summary>A shadow's agreement with its primary: the open window so far, the last closed window, and since the server started.</summary>
/// <param name="Primary">The version answering callers.</param>
/// <param name="Shadow">The shadow version.</param>
/// <param name="Current">The open window.</param>
/// <param name="Previous">The last closed window (null until one closed).</param>
/// <param name="Copies">Copies compared since the server started.</param>
/// <param name="LabelAgreement">Share of equal labels since the server started (null: the model answers no label).</param>
/// <param name="MeanAbsDiff">Mean absolute difference of scores since the server started (null: no score).</param>
public sealed record ShadowAgreementView(
    string Primary, string Shadow, AgreementWindowView Current, AgreementWindowView? Previous, long Copies, double? LabelAgreement, double? MeanAbsDiff)
{
    /// <summary>The view of <paramref name="agreement"/> as of <paramref name="now"/>.</summary>
    public static ShadowAgreementView From(ShadowAgreement agreement, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var (open, closed) = agreement.Windows(now);
        var (copies, total) = agreement.Total();
        return new ShadowAgreementView(agreement.Primary, agreement.Shadow, AgreementWindowView.From(open), closed is null ? null : AgreementWindowView.From(closed),
            copies, total.LabelAgreement, total.MeanAbsDiff);
    }
}

/// <summary>One window of a shadow's agreement.</summary>
public sealed record AgreementWindowView(DateTimeOffset Start, DateTimeOffset End, long Copies, double? LabelAgreement, double? MeanAbsDiff)
{
    /// <summary>The view of <paramref name="window"/>.</summary>
    public static AgreementWindowView From(AgreementWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return new(window.Start, window.End, window.Copies, window.Tally.LabelAgreement, window.Tally.MeanAbsDiff);
    }
}

/// <summary>The routing in words (<c>default</c>, per department) and as the full table.</summary>
public sealed record RoutingSummary(string? Default, IReadOnlyList<DepartmentRouting> Departments, string? Fallback, RoutingTable Table);

/// <summary>A department's own policy, in words.</summary>
public sealed record DepartmentRouting(string Department, string Policy);

/// <summary>One target of an endpoint: what it is, whether it is loaded, its breaker and what it did since the server started.</summary>
public sealed record TargetStatus(
    string Key,
    string Kind,
    string? Url,
    bool Available,
    string Description,
    string Breaker,
    long Answered,
    long AnsweredAsFallback,
    long Failed,
    long Shadowed)
{
    /// <summary>The status of <paramref name="target"/>, with live figures when it is served.</summary>
    public static TargetStatus From(ServingTarget target, TargetRuntime? runtime)
    {
        ArgumentNullException.ThrowIfNull(target);
        var (kind, url) = target switch
        {
            ExternalTarget e => ("external", (string?)OutboundUrls.Redact(e.BaseUrl)),
            _ => ("local", null),
        };
        return new TargetStatus(
            target.Key,
            kind,
            url,
            runtime?.Backend.IsAvailable ?? false,
            runtime?.Backend.Description ?? "not loaded",
            runtime is null ? "unknown" : runtime.Guard.State.ToString().ToLowerInvariant(),
            runtime?.Counters.Answered ?? 0,
            runtime?.Counters.AnsweredAsFallback ?? 0,
            runtime?.Counters.Failed ?? 0,
            runtime?.Counters.Shadowed ?? 0);
    }
}

/// <summary>What a deploy, promote, rollback or settings change did, and the endpoint after it.</summary>
public sealed record EndpointChangeResponse(string Message, EndpointResponse Endpoint);

/// <summary>One line of the prediction log.</summary>
public sealed record PredictionLogLine(
    string RequestId,
    string Kind,
    DateTimeOffset At,
    string? Version,
    string? Department,
    string? Subject,
    string Source,
    string? FailureReason,
    JsonElement Inputs,
    JsonElement Outputs,
    double LatencyMs,
    JsonElement? Comparison);
