namespace Escala.Core.Monitoring.Alerts;

/// <summary>Where an alert event's webhook delivery stands.</summary>
public enum DeliveryStatus
{
    /// <summary>The rule has no webhook.</summary>
    None,

    /// <summary>Queued or being retried.</summary>
    Pending,

    /// <summary>Every webhook answered 2xx.</summary>
    Delivered,

    /// <summary>At least one webhook still failed after every retry (or the queue was full).</summary>
    Failed,
}

/// <summary>A stored fire or resolve event: the alert history and the status page's incidents.</summary>
/// <param name="Id">Assigned by the store, increasing.</param>
/// <param name="RuleId">The rule.</param>
/// <param name="Rule">The rule's name.</param>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Series">The model version the value is about (drift, ground truth), or empty for the endpoint.</param>
/// <param name="Kind">Fired or resolved.</param>
/// <param name="Severity">The rule's severity.</param>
/// <param name="Metric">The metric with its parameter.</param>
/// <param name="Value">The value at the transition (NaN when a series went quiet).</param>
/// <param name="Threshold">The threshold crossed.</param>
/// <param name="At">When.</param>
/// <param name="FiredAt">When the alert fired.</param>
/// <param name="Detail">What a person reads (e.g. the drifted features).</param>
/// <param name="Delivery">Webhook delivery status.</param>
/// <param name="Attempts">Delivery attempts made.</param>
/// <param name="LastError">The last delivery failure, if any.</param>
public sealed record AlertEvent(
    long Id,
    long RuleId,
    string Rule,
    string Endpoint,
    string Series,
    AlertTransitionKind Kind,
    AlertSeverity Severity,
    string Metric,
    double Value,
    double Threshold,
    DateTimeOffset At,
    DateTimeOffset FiredAt,
    string? Detail,
    DeliveryStatus Delivery,
    int Attempts,
    string? LastError);

/// <summary>A rule's state for one series, as stored between evaluations (so a restart neither forgets nor repeats a firing).</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Series">The series (a version key, or empty).</param>
/// <param name="State">The state.</param>
/// <param name="LastValue">The last value evaluated.</param>
/// <param name="UpdatedAt">When the value was last evaluated.</param>
public sealed record StoredAlertState(long RuleId, string Series, AlertState State, double LastValue, DateTimeOffset UpdatedAt);
