namespace Escala.Core.Monitoring.Alerts;

/// <summary>How a metric value is compared with a rule's threshold.</summary>
public enum AlertComparison
{
    /// <summary>Breached when value &gt; threshold.</summary>
    GreaterThan,

    /// <summary>Breached when value ≥ threshold.</summary>
    GreaterOrEqual,

    /// <summary>Breached when value &lt; threshold.</summary>
    LessThan,

    /// <summary>Breached when value ≤ threshold.</summary>
    LessOrEqual,
}

/// <summary>How urgent an alert is.</summary>
public enum AlertSeverity
{
    /// <summary>For information; no action expected.</summary>
    Info,

    /// <summary>Look at it during working hours.</summary>
    Warning,

    /// <summary>Act now.</summary>
    Critical,
}

/// <summary>
/// A rule on any metric the caller can compute as a number (a drift score, an accuracy drop vs the baseline,
/// an error rate, a latency quantile, an SLO burn rate). It fires after the value has breached the threshold
/// for <see cref="For"/>, and resolves after the value has been back past <see cref="ResolveThreshold"/>
/// (hysteresis; defaults to the threshold) for <see cref="ResolveFor"/>, so a value hovering at the line does not flap.
/// </summary>
/// <param name="Name">Unique rule name (e.g. "credit-risk accuracy drop").</param>
/// <param name="Metric">The metric the caller evaluates it on (e.g. "drift.share", "accuracy.drop", "latency.p99_ms", "slo.burn_rate_1h").</param>
/// <param name="Comparison">How the value is compared.</param>
/// <param name="Threshold">The firing threshold.</param>
/// <param name="Severity">Severity of the alert.</param>
public sealed record AlertRule(string Name, string Metric, AlertComparison Comparison, double Threshold, AlertSeverity Severity)
{
    /// <summary>How long the threshold must stay breached before firing (0 fires on the first breach).</summary>
    public TimeSpan For { get; init; } = TimeSpan.Zero;

    /// <summary>The value must be back past this (on the healthy side) to resolve; null uses <see cref="Threshold"/>.</summary>
    public double? ResolveThreshold { get; init; }

    /// <summary>How long the value must stay healthy before resolving.</summary>
    public TimeSpan ResolveFor { get; init; } = TimeSpan.Zero;

    /// <summary>Throws <see cref="ArgumentException"/> naming the problem (empty names, non-finite thresholds, a resolve threshold on the firing side).</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || string.IsNullOrWhiteSpace(Metric))
        {
            throw new ArgumentException("An alert rule needs a name and a metric.");
        }

        if (!double.IsFinite(Threshold))
        {
            throw new ArgumentException($"Rule '{Name}': the threshold must be a finite number.");
        }

        if (For < TimeSpan.Zero || ResolveFor < TimeSpan.Zero)
        {
            throw new ArgumentException($"Rule '{Name}': durations cannot be negative.");
        }

        if (ResolveThreshold is { } resolve)
        {
            var upward = Comparison is AlertComparison.GreaterThan or AlertComparison.GreaterOrEqual;
            if (!double.IsFinite(resolve) || (upward ? resolve > Threshold : resolve < Threshold))
            {
                throw new ArgumentException(upward
                    ? $"Rule '{Name}': the resolve threshold must be at or below the threshold {Threshold}."
                    : $"Rule '{Name}': the resolve threshold must be at or above the threshold {Threshold}.");
            }
        }
    }

    /// <summary>True when <paramref name="value"/> breaches the firing threshold.</summary>
    public bool IsBreached(double value) => Comparison switch
    {
        AlertComparison.GreaterThan => value > Threshold,
        AlertComparison.GreaterOrEqual => value >= Threshold,
        AlertComparison.LessThan => value < Threshold,
        _ => value <= Threshold,
    };

    /// <summary>True when <paramref name="value"/> is back on the healthy side of the resolve threshold.</summary>
    public bool IsHealthy(double value)
    {
        var line = ResolveThreshold ?? Threshold;
        return Comparison switch
        {
            AlertComparison.GreaterThan => value <= line,
            AlertComparison.GreaterOrEqual => value < line,
            AlertComparison.LessThan => value >= line,
            _ => value > line,
        };
    }
}
