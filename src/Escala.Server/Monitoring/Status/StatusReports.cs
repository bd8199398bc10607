using Escala.Core.Monitoring.Alerts;
using Escala.Core.Monitoring.Latency;
using Escala.Core.Monitoring.Settings;
using Escala.Core.Monitoring.Status;
using Escala.Server.Monitoring.Live;

namespace Escala.Server.Monitoring.Status;

/// <summary>
/// Assembles an endpoint's status: availability, error budget and uptime over its SLO period from the durable hourly
/// counts (plus what is not flushed yet), burn rates from the recent samples, incidents from the alert history, and
/// how each version is monitored.
/// </summary>
public sealed class StatusReports(
    MonitoringConfiguration configuration, DurableCounts counts, CounterHistory history, LiveMetrics metrics, MonitorDirectory monitors, IAlertStore alerts, TimeProvider time)
{
    /// <summary>The status of <paramref name="endpoint"/> now.</summary>
    public async Task<EndpointStatus> GetAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        await configuration.RequireEndpointAsync(endpoint, cancellationToken);
        var settings = await configuration.EffectiveAsync(endpoint, cancellationToken);
        var slo = settings.Slo.ToObjective();
        var now = time.GetUtcNow();
        var start = now - slo.Period;
        var hours = await counts.HoursAsync(endpoint, start, cancellationToken);
        var total = default(RequestCounts);
        int withTraffic = 0, meeting = 0;
        foreach (var (_, c) in hours)
        {
            total = DurableCounts.Add(total, c);
            if (ServiceLevelObjective.EligibleRequests(c) > 0)
            {
                withTraffic++;
                meeting += slo.Availability(c) >= slo.Target ? 1 : 0;
            }
        }

        var days = new List<StatusDay>();
        for (var day = DateOnly.FromDateTime(start.UtcDateTime); day <= DateOnly.FromDateTime(now.UtcDateTime); day = day.AddDays(1))
        {
            var c = default(RequestCounts);
            foreach (var (hour, counted) in hours)
            {
                if (DateOnly.FromDateTime(hour.UtcDateTime) == day)
                {
                    c = DurableCounts.Add(c, counted);
                }
            }

            days.Add(new StatusDay(day, c.Requests, ServiceLevelObjective.EligibleRequests(c), slo.BadRequests(c), slo.Availability(c)));
        }

        var events = await alerts.ListEventsAsync(endpoint, null, 1000, cancellationToken);
        var incidents = Incident.FromEvents(events).Where(i => i.ResolvedAt is null || i.ResolvedAt >= start).ToList();
        var versions = monitors.All.Where(m => m.Endpoint == endpoint).OrderBy(m => m.Target, StringComparer.Ordinal)
            .Select(m => new VersionStatus(
                m.Target,
                m.Unmonitored is null ? "monitored" : m.Capture is not null ? "capturing" : "unmonitored",
                m.Unmonitored,
                m.LatestReport?.DriftedShare,
                m.LatestReport?.End,
                m.LatestReport?.DriftedFeatures ?? []))
            .ToList();
        var recent = history.Over(metrics, endpoint, TimeSpan.FromMinutes(5), now).Counts;
        var lastHour = history.Over(metrics, endpoint, TimeSpan.FromHours(1), now).Counts;
        return new EndpointStatus(endpoint, settings.Slo, total.Requests, total.Errors, total.Fallbacks, total.Rejected, slo.Availability(total),
            slo.ErrorBudgetRemaining(total), slo.BurnRate(recent), slo.BurnRate(lastHour), withTraffic, meeting, days, incidents, versions, now);
    }
}
