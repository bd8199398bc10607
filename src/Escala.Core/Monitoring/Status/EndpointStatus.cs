using Escala.Core.Monitoring.Alerts;
using Escala.Core.Monitoring.Settings;

namespace Escala.Core.Monitoring.Status;

/// <summary>One UTC day of an endpoint's traffic.</summary>
/// <param name="Day">The day.</param>
/// <param name="Requests">Requests.</param>
/// <param name="Eligible">Requests the SLO judges (not refused as the caller's fault).</param>
/// <param name="Bad">Eligible requests that count against the SLO.</param>
/// <param name="Availability">Good / eligible (1 without traffic).</param>
public sealed record StatusDay(DateOnly Day, long Requests, long Eligible, long Bad, double Availability);

/// <summary>An alert that fired, and when it resolved (null while it is still firing).</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Rule">Its name.</param>
/// <param name="Series">The version it was about, or empty.</param>
/// <param name="Severity">Its severity.</param>
/// <param name="Metric">The metric.</param>
/// <param name="FiredAt">When it fired.</param>
/// <param name="ResolvedAt">When it resolved.</param>
/// <param name="Value">The value when it fired.</param>
/// <param name="Detail">What the firing said.</param>
public sealed record Incident(long RuleId, string Rule, string Series, AlertSeverity Severity, string Metric, DateTimeOffset FiredAt, DateTimeOffset? ResolvedAt, double Value, string? Detail)
{
    /// <summary>How long it lasted (so far, at <paramref name="now"/>, when still open).</summary>
    public TimeSpan Duration(DateTimeOffset now) => (ResolvedAt ?? now) - FiredAt;

    /// <summary>Pairs fire and resolve events (any order) into incidents, newest first.</summary>
    public static IReadOnlyList<Incident> FromEvents(IEnumerable<AlertEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var open = new Dictionary<(long, string), Incident>();
        var done = new List<Incident>();
        foreach (var e in events.OrderBy(e => e.Id))
        {
            var key = (e.RuleId, e.Series);
            if (e.Kind == AlertTransitionKind.Fired)
            {
                if (open.Remove(key, out var previous))
                {
                    done.Add(previous);
                }

                open[key] = new Incident(e.RuleId, e.Rule, e.Series, e.Severity, e.Metric, e.FiredAt, null, e.Value, e.Detail);
            }
            else if (open.Remove(key, out var fired))
            {
                done.Add(fired with { ResolvedAt = e.At });
            }
            else
            {
                // Its firing is older than the events read: still an incident, known from its resolve event.
                done.Add(new Incident(e.RuleId, e.Rule, e.Series, e.Severity, e.Metric, e.FiredAt, e.At, double.NaN, null));
            }
        }

        done.AddRange(open.Values);
        return [.. done.OrderByDescending(i => i.FiredAt)];
    }
}

/// <summary>How one version behind the endpoint is monitored.</summary>
/// <param name="Version">The version key.</param>
/// <param name="State">monitored, capturing or unmonitored.</param>
/// <param name="Reason">Why it is not monitored row by row, if so.</param>
/// <param name="DriftShare">The latest window's drifted share.</param>
/// <param name="LastWindowEnd">When the latest window ended.</param>
/// <param name="DriftedFeatures">The latest window's drifted features.</param>
public sealed record VersionStatus(string Version, string State, string? Reason, double? DriftShare, DateTimeOffset? LastWindowEnd, IReadOnlyList<string> DriftedFeatures);

/// <summary>An endpoint's status: availability against its objective, per-day history, incidents and its versions' monitoring.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Slo">Its objective.</param>
/// <param name="Requests">Requests over the period.</param>
/// <param name="Errors">Errors over the period.</param>
/// <param name="Fallbacks">Fallback answers over the period.</param>
/// <param name="Rejected">Refused requests over the period.</param>
/// <param name="Availability">Good / eligible requests over the period.</param>
/// <param name="ErrorBudgetRemaining">Share of the period's error budget left.</param>
/// <param name="BurnRate5m">Burn rate over the last five minutes.</param>
/// <param name="BurnRate1h">Burn rate over the last hour.</param>
/// <param name="HoursWithTraffic">Hours of the period with eligible requests.</param>
/// <param name="HoursMeetingTarget">Of those, hours whose availability met the target (time-based uptime).</param>
/// <param name="Days">The period's days, oldest first.</param>
/// <param name="Incidents">Alerts fired in the period, newest first.</param>
/// <param name="Versions">The versions that served.</param>
/// <param name="At">When the status was computed.</param>
public sealed record EndpointStatus(
    string Endpoint,
    SloSetting Slo,
    long Requests,
    long Errors,
    long Fallbacks,
    long Rejected,
    double Availability,
    double ErrorBudgetRemaining,
    double BurnRate5m,
    double BurnRate1h,
    int HoursWithTraffic,
    int HoursMeetingTarget,
    IReadOnlyList<StatusDay> Days,
    IReadOnlyList<Incident> Incidents,
    IReadOnlyList<VersionStatus> Versions,
    DateTimeOffset At)
{
    /// <summary>Hours meeting the target / hours with traffic (1 without traffic).</summary>
    public double Uptime => HoursWithTraffic == 0 ? 1 : (double)HoursMeetingTarget / HoursWithTraffic;

    /// <summary>True when the availability meets the target.</summary>
    public bool MeetsObjective => Availability >= Slo.Target;
}
