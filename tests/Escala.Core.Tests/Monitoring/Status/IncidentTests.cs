using Escala.Core.Monitoring.Alerts;
using Escala.Core.Monitoring.Status;

namespace Escala.Core.Tests.Monitoring.Status;

public sealed class IncidentTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static AlertEvent Event(long id, long rule, string series, AlertTransitionKind kind, int minute, int firedMinute) =>
        new(id, rule, $"rule {rule}", "e", series, kind, AlertSeverity.Warning, "m", 1, 0, T0.AddMinutes(minute), T0.AddMinutes(firedMinute), null, DeliveryStatus.None, 0, null);

    [Fact]
    public void Fire_and_resolve_events_pair_per_rule_and_series_into_incidents_newest_first()
    {
        var events = new[]
        {
            Event(4, 1, "v:1", AlertTransitionKind.Resolved, 30, 10),
            Event(1, 1, "v:1", AlertTransitionKind.Fired, 10, 10),
            Event(2, 1, "v:2", AlertTransitionKind.Fired, 12, 12),
            Event(3, 2, "", AlertTransitionKind.Fired, 20, 20),
        };

        var incidents = Incident.FromEvents(events);

        Assert.Equal(3, incidents.Count);
        Assert.Equal((2L, (DateTimeOffset?)null), (incidents[0].RuleId, incidents[0].ResolvedAt));
        Assert.Equal("v:2", incidents[1].Series);
        var closed = incidents[2];
        Assert.Equal(T0.AddMinutes(30), closed.ResolvedAt);
        Assert.Equal(TimeSpan.FromMinutes(20), closed.Duration(T0.AddDays(1)));
    }

    [Fact]
    public void A_resolve_whose_firing_is_older_than_the_history_read_is_still_an_incident()
    {
        var incident = Assert.Single(Incident.FromEvents([Event(9, 1, "", AlertTransitionKind.Resolved, 50, 5)]));
        Assert.Equal(T0.AddMinutes(5), incident.FiredAt);
        Assert.Equal(T0.AddMinutes(50), incident.ResolvedAt);
    }
}
