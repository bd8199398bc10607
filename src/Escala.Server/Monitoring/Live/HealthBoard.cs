using System.Collections.Frozen;
using Escala.Core.Monitoring.Latency;
using Escala.Core.Monitoring.Settings;

namespace Escala.Server.Monitoring.Live;

/// <summary>An endpoint's availability against its objective, as the worker last computed it.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Slo">Its objective.</param>
/// <param name="Period">Its counts over the objective's period (durable hourly counts plus what is not flushed yet).</param>
/// <param name="Availability">Good / eligible requests over the period.</param>
/// <param name="ErrorBudgetRemaining">Share of the period's error budget left (negative: overspent).</param>
/// <param name="BurnRate5m">Burn rate over the last five minutes.</param>
/// <param name="BurnRate1h">Burn rate over the last hour.</param>
/// <param name="ComputedAt">When.</param>
public sealed record EndpointHealth(
    string Endpoint, SloSetting Slo, RequestCounts Period, double Availability, double ErrorBudgetRemaining, double BurnRate5m, double BurnRate1h, DateTimeOffset ComputedAt);

/// <summary>The latest <see cref="EndpointHealth"/> of every endpoint, swapped whole by the worker, read by /metrics, OTLP and the status page.</summary>
public sealed class HealthBoard
{
    private volatile FrozenDictionary<string, EndpointHealth> _health = FrozenDictionary<string, EndpointHealth>.Empty;

    /// <summary>Every endpoint's health.</summary>
    public IReadOnlyDictionary<string, EndpointHealth> All => _health;

    /// <summary>Replaces the board.</summary>
    public void Publish(IEnumerable<EndpointHealth> health) => _health = health.ToFrozenDictionary(h => h.Endpoint, StringComparer.Ordinal);
}
