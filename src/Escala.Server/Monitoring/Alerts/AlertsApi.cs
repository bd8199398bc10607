using Escala.Core.Access;
using Escala.Core.Monitoring.Alerts;
using Escala.Core.Problems;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Monitoring.Alerts;

/// <summary>A new alert rule as clients send it.</summary>
/// <param name="Endpoint">The endpoint watched.</param>
/// <param name="Name">Unique per endpoint.</param>
/// <param name="Metric">drift.share, drift.score, prediction.drift, accuracy.drop, accuracy.value, error.rate, fallback.rate, rejection.rate, latency.p50|p95|p99, slo.burn_rate or availability.</param>
/// <param name="Threshold">The firing threshold.</param>
/// <param name="Comparison">greaterThan (default), greaterOrEqual, lessThan or lessOrEqual (also &gt;, &gt;=, &lt;, &lt;=).</param>
/// <param name="Severity">info, warning (default) or critical.</param>
/// <param name="Feature">For drift.score: the feature (or the prediction column).</param>
/// <param name="AccuracyMetric">For accuracy.*: accuracy, precision, recall, f1, auc, log_loss, mae, rmse or r2.</param>
/// <param name="LookbackSeconds">The period a rate, latency, SLO or ground-truth value covers (default per metric).</param>
/// <param name="ForSeconds">How long the threshold must stay breached before firing (default 0).</param>
/// <param name="ResolveThreshold">The value must be back past this to resolve (default the threshold).</param>
/// <param name="ResolveForSeconds">How long it must stay healthy before resolving (default 0).</param>
/// <param name="Webhooks">URLs that receive each fire and resolve event (at most 5).</param>
public sealed record AlertRuleRequest(
    string Endpoint,
    string Name,
    string Metric,
    double Threshold,
    string? Comparison = null,
    string? Severity = null,
    string? Feature = null,
    string? AccuracyMetric = null,
    long? LookbackSeconds = null,
    long ForSeconds = 0,
    double? ResolveThreshold = null,
    long ResolveForSeconds = 0,
    IReadOnlyList<string>? Webhooks = null);

/// <summary><c>/api/v1/alerts</c>: alert rules (add, list, remove) and the alert history.</summary>
public static class AlertsApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapAlerts(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/api/v1/alerts").WithTags("Monitoring");
        alerts.MapGet("/", Events).RequireRole(Role.Viewer)
            .WithName("ListAlerts").WithSummary("Alert events (fired, resolved) newest first, with their webhook delivery status; ?endpoint=, ?before= (id), ?limit= (1-1000).");
        alerts.MapGet("/rules", Rules).RequireRole(Role.Viewer)
            .WithName("ListAlertRules").WithSummary("Alert rules, of one endpoint (?endpoint=) or all.");
        alerts.MapPost("/rules", Add).RequireRole(Role.Operator)
            .WithName("AddAlertRule").WithSummary("Adds an alert rule on a metric of an endpoint, with a severity and optional webhooks.");
        alerts.MapDelete("/rules/{id:long}", Remove).RequireRole(Role.Operator)
            .WithName("RemoveAlertRule").WithSummary("Removes an alert rule (its past events stay in the history).");
        return app;
    }

    /// <summary>The stored rule a request describes (its id, time and author are set when stored); throws validation-failed for unknown words.</summary>
    public static AlertRuleSpec ToSpec(AlertRuleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var metric = AlertMetrics.Parse(request.Metric)
            ?? throw ProblemTypes.ValidationFailed.With($"Unknown metric '{Core.Naming.ResourceName.Printable(request.Metric)}'; use one of {string.Join(", ", AlertMetrics.AllNames)}.");
        var comparison = (request.Comparison ?? "greaterThan") switch
        {
            "greaterThan" or ">" or "gt" or "above" => AlertComparison.GreaterThan,
            "greaterOrEqual" or ">=" or "ge" => AlertComparison.GreaterOrEqual,
            "lessThan" or "<" or "lt" or "below" => AlertComparison.LessThan,
            "lessOrEqual" or "<=" or "le" => AlertComparison.LessOrEqual,
            var other => throw ProblemTypes.ValidationFailed.With($"Unknown comparison '{Core.Naming.ResourceName.Printable(other)}'; use greaterThan, greaterOrEqual, lessThan or lessOrEqual."),
        };
        var severity = (request.Severity ?? "warning") switch
        {
            "info" => AlertSeverity.Info,
            "warning" => AlertSeverity.Warning,
            "critical" => AlertSeverity.Critical,
            var other => throw ProblemTypes.ValidationFailed.With($"Unknown severity '{Core.Naming.ResourceName.Printable(other)}'; use info, warning or critical."),
        };
        return new AlertRuleSpec(0, request.Endpoint ?? "", request.Name ?? "", metric, request.Feature, request.AccuracyMetric, request.LookbackSeconds,
            comparison, request.Threshold, severity, request.ForSeconds, request.ResolveThreshold, request.ResolveForSeconds, request.Webhooks ?? [], default, "");
    }

    private static async Task<JsonHttpResult<AlertEvent[]>> Events(string? endpoint, long? before, int? limit, AlertRules rules, CancellationToken ct) =>
        TypedResults.Json((await rules.EventsAsync(endpoint, before, limit ?? 100, ct)).ToArray(), MonitoringJson.Options);

    private static async Task<JsonHttpResult<AlertRuleSpec[]>> Rules(string? endpoint, AlertRules rules, CancellationToken ct) =>
        TypedResults.Json((await rules.ListAsync(endpoint, ct)).ToArray(), MonitoringJson.Options);

    private static async Task<JsonHttpResult<AlertRuleSpec>> Add(HttpContext http, AlertRules rules, Core.Outbound.OutboundAllowList outbound, CancellationToken ct)
    {
        var request = await MonitoringJson.ReadAsync<AlertRuleRequest>(http.Request, "alert rule", ct);
        var spec = ToSpec(request);

        // Webhooks are calls the server makes: only to allowed hosts, and never with credentials in the URL.
        foreach (var hook in spec.Webhooks ?? [])
        {
            // Malformed or non-http(s) URLs are left to the rule's own validation, which names them.
            if (Uri.TryCreate(hook, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            {
                await outbound.RequireAllowedAsync(url, "webhook", "webhook URL", ct);
            }
        }

        var added = await rules.AddAsync(http.GetPrincipal(), spec, ct);
        return TypedResults.Json(added, MonitoringJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<NoContent> Remove(long id, HttpContext http, AlertRules rules, CancellationToken ct)
    {
        await rules.RemoveAsync(http.GetPrincipal(), id, ct);
        return TypedResults.NoContent();
    }
}
