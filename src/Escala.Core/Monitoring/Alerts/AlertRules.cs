using System.Globalization;
using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Monitoring.Settings;
using Escala.Core.Problems;

namespace Escala.Core.Monitoring.Alerts;

/// <summary>
/// The rules for alert rules: the endpoint must exist and be in the caller's department scope, the rule must
/// validate (every problem listed), names are unique per endpoint, and adding or removing one is audited
/// (subject <c>endpoint/{name}/alerts</c>). The evaluator picks changes up through <see cref="Changed"/>.
/// </summary>
public sealed class AlertRules(IAlertStore store, MonitoringConfiguration configuration, TimeProvider time)
{
    /// <summary>Raised after a rule was added or removed.</summary>
    public event Action? Changed;

    /// <summary>Raises <see cref="Changed"/> for a change another node made (the cluster's change follower calls it).</summary>
    public void ChangedElsewhere() => Changed?.Invoke();

    /// <summary>Validates and stores a rule (its id, creation time and author are set here).</summary>
    public async Task<AlertRuleSpec> AddAsync(Principal caller, AlertRuleSpec draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(draft);
        var endpoint = await configuration.RequireEndpointAsync(draft.Endpoint, cancellationToken);
        MonitoringConfiguration.RequireScope(caller, endpoint);
        var problems = draft.Problems();
        if (problems.Count > 0)
        {
            throw ProblemTypes.ValidationFailed.With("The alert rule is not valid: " + string.Join(" ", problems));
        }

        var existing = await store.ListRulesAsync(endpoint.Name, cancellationToken);
        if (existing.Any(r => string.Equals(r.Name, draft.Name, StringComparison.Ordinal)))
        {
            throw ProblemTypes.AlreadyExists.With($"The endpoint '{endpoint.Name}' already has an alert rule named '{draft.Name}'; remove it first or pick another name.");
        }

        var now = time.GetUtcNow();
        var rule = draft with { Id = 0, Endpoint = endpoint.Name, CreatedAt = now, CreatedBy = caller.AuditName };
        var added = await store.AddRuleAsync(rule, stored => AuditEntry.Create<AlertRuleSpec>(now, caller, "alert.rule.add", Subject(stored.Endpoint), null, stored), cancellationToken);
        Changed?.Invoke();
        return added;
    }

    /// <summary>Rules of one endpoint (which must exist) or of all endpoints.</summary>
    public async Task<IReadOnlyList<AlertRuleSpec>> ListAsync(string? endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not null)
        {
            await configuration.RequireEndpointAsync(endpoint, cancellationToken);
        }

        return await store.ListRulesAsync(endpoint, cancellationToken);
    }

    /// <summary>Removes a rule; throws not-found when there is none.</summary>
    public async Task<AlertRuleSpec> RemoveAsync(Principal caller, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var rule = await store.FindRuleAsync(id, cancellationToken)
            ?? throw ProblemTypes.NotFound.With(string.Create(CultureInfo.InvariantCulture, $"There is no alert rule {id}; `escala alerts rules list` shows them."));
        var endpoint = await configuration.RequireEndpointAsync(rule.Endpoint, cancellationToken);
        MonitoringConfiguration.RequireScope(caller, endpoint);
        var audit = AuditEntry.Create<AlertRuleSpec>(time.GetUtcNow(), caller, "alert.rule.remove", Subject(rule.Endpoint), rule, null);
        if (!await store.RemoveRuleAsync(id, audit, cancellationToken))
        {
            throw ProblemTypes.NotFound.With(string.Create(CultureInfo.InvariantCulture, $"There is no alert rule {id}."));
        }

        Changed?.Invoke();
        return rule;
    }

    /// <summary>The alert history, newest first.</summary>
    public async Task<IReadOnlyList<AlertEvent>> EventsAsync(string? endpoint, long? before, int limit, CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > 1000)
        {
            throw ProblemTypes.ValidationFailed.With("limit must be between 1 and 1000.");
        }

        if (endpoint is not null)
        {
            await configuration.RequireEndpointAsync(endpoint, cancellationToken);
        }

        return await store.ListEventsAsync(endpoint, before, limit, cancellationToken);
    }

    /// <summary>The audit subject of an endpoint's alert rules.</summary>
    public static string Subject(string endpoint) => $"endpoint/{endpoint}/alerts";
}
