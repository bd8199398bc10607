namespace Escala.Core.Monitoring.Alerts;

/// <summary>Where a rule stands for one series.</summary>
public enum AlertStatus
{
    /// <summary>Not breached.</summary>
    Inactive,

    /// <summary>Breached, waiting for <see cref="AlertRule.For"/> before firing.</summary>
    Pending,

    /// <summary>Fired and not resolved.</summary>
    Firing,

    /// <summary>Firing, value healthy, waiting for <see cref="AlertRule.ResolveFor"/> before resolving.</summary>
    Resolving,
}

/// <summary>A rule's state for one series (e.g. one endpoint); a value the caller stores between evaluations.</summary>
/// <param name="Status">Where the rule stands.</param>
/// <param name="Since">When the current status began.</param>
/// <param name="FiredAt">When the current alert fired (Firing and Resolving).</param>
public sealed record AlertState(AlertStatus Status, DateTimeOffset Since, DateTimeOffset? FiredAt)
{
    /// <summary>The state of a rule never evaluated.</summary>
    public static AlertState Initial { get; } = new(AlertStatus.Inactive, DateTimeOffset.MinValue, null);
}

/// <summary>What kind of transition happened.</summary>
public enum AlertTransitionKind
{
    /// <summary>The alert fired.</summary>
    Fired,

    /// <summary>The alert resolved.</summary>
    Resolved,
}

/// <summary>An alert event to store and deliver (webhook, history).</summary>
/// <param name="Rule">Rule name.</param>
/// <param name="Metric">Metric name.</param>
/// <param name="Kind">Fired or resolved.</param>
/// <param name="Severity">The rule's severity.</param>
/// <param name="Value">The value at the transition.</param>
/// <param name="Threshold">The threshold crossed (the resolve threshold when resolving).</param>
/// <param name="At">When it happened.</param>
/// <param name="FiredAt">When the alert fired (equals <paramref name="At"/> for a firing).</param>
public sealed record AlertTransition(string Rule, string Metric, AlertTransitionKind Kind, AlertSeverity Severity, double Value, double Threshold, DateTimeOffset At, DateTimeOffset FiredAt);

/// <summary>The result of one evaluation: the new state and, when it changed between firing and not, the transition.</summary>
/// <param name="State">The state to store.</param>
/// <param name="Transition">The event, or null.</param>
public readonly record struct AlertStep(AlertState State, AlertTransition? Transition);
