using Escala.Core.Audit;

namespace Escala.Core.Monitoring.Alerts;

/// <summary>Alert rules (audited), their per-series states, and the fire/resolve history with its delivery status.</summary>
public interface IAlertStore
{
    /// <summary>Stores a new rule (its id is assigned) and the audit entry built from it.</summary>
    Task<AlertRuleSpec> AddRuleAsync(AlertRuleSpec rule, Func<AlertRuleSpec, AuditEntry> audit, CancellationToken cancellationToken = default);

    /// <summary>The rule, or null.</summary>
    Task<AlertRuleSpec?> FindRuleAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Rules, of one endpoint or all, by id.</summary>
    Task<IReadOnlyList<AlertRuleSpec>> ListRulesAsync(string? endpoint = null, CancellationToken cancellationToken = default);

    /// <summary>Removes a rule and its states (its events stay in the history); false when it did not exist.</summary>
    Task<bool> RemoveRuleAsync(long id, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Every stored rule state.</summary>
    Task<IReadOnlyList<StoredAlertState>> ListStatesAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores states and appends events in one transaction; returns the events with their ids.</summary>
    Task<IReadOnlyList<AlertEvent>> RecordAsync(IReadOnlyList<StoredAlertState> states, IReadOnlyList<AlertEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Records an event's delivery status.</summary>
    Task UpdateDeliveryAsync(long eventId, DeliveryStatus status, int attempts, string? lastError, CancellationToken cancellationToken = default);

    /// <summary>Events newest first: of one endpoint or all, optionally only those with id below <paramref name="before"/>.</summary>
    Task<IReadOnlyList<AlertEvent>> ListEventsAsync(string? endpoint, long? before, int limit, CancellationToken cancellationToken = default);
}
