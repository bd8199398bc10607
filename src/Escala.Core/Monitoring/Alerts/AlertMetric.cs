namespace Escala.Core.Monitoring.Alerts;

/// <summary>What an alert rule watches. Each has a name users write (<see cref="AlertMetrics.Name"/>).</summary>
public enum AlertMetric
{
    /// <summary><c>drift.share</c>: share of judged features that drifted in a version's latest closed window (0-1).</summary>
    DriftShare,

    /// <summary><c>drift.score</c>: the deciding score of one feature (the rule's <c>feature</c>) in a version's latest window.</summary>
    DriftScore,

    /// <summary><c>prediction.drift</c>: the deciding score of the prediction column in a version's latest window.</summary>
    PredictionDrift,

    /// <summary><c>accuracy.drop</c>: how much a ground-truth metric got worse than the value registered with the version (positive = worse).</summary>
    AccuracyDrop,

    /// <summary><c>accuracy.value</c>: a ground-truth metric of a version over the lookback.</summary>
    AccuracyValue,

    /// <summary><c>error.rate</c>: failed / eligible requests of the endpoint over the lookback (0-1).</summary>
    ErrorRate,

    /// <summary><c>fallback.rate</c>: fallback answers / requests over the lookback (0-1).</summary>
    FallbackRate,

    /// <summary><c>rejection.rate</c>: requests refused by the data-quality policy / requests over the lookback (0-1).</summary>
    RejectionRate,

    /// <summary><c>latency.p50</c>: median latency in milliseconds over the lookback.</summary>
    LatencyP50,

    /// <summary><c>latency.p95</c>: 95th percentile latency in milliseconds over the lookback.</summary>
    LatencyP95,

    /// <summary><c>latency.p99</c>: 99th percentile latency in milliseconds over the lookback.</summary>
    LatencyP99,

    /// <summary><c>slo.burn_rate</c>: error-budget burn rate over the lookback (1 spends the budget exactly over the SLO period).</summary>
    SloBurnRate,

    /// <summary><c>availability</c>: good / eligible requests over the lookback (0-1).</summary>
    Availability,
}

/// <summary>Names and properties of <see cref="AlertMetric"/>s.</summary>
public static class AlertMetrics
{
    private static readonly (AlertMetric Metric, string Name)[] Names =
    [
        (AlertMetric.DriftShare, "drift.share"),
        (AlertMetric.DriftScore, "drift.score"),
        (AlertMetric.PredictionDrift, "prediction.drift"),
        (AlertMetric.AccuracyDrop, "accuracy.drop"),
        (AlertMetric.AccuracyValue, "accuracy.value"),
        (AlertMetric.ErrorRate, "error.rate"),
        (AlertMetric.FallbackRate, "fallback.rate"),
        (AlertMetric.RejectionRate, "rejection.rate"),
        (AlertMetric.LatencyP50, "latency.p50"),
        (AlertMetric.LatencyP95, "latency.p95"),
        (AlertMetric.LatencyP99, "latency.p99"),
        (AlertMetric.SloBurnRate, "slo.burn_rate"),
        (AlertMetric.Availability, "availability"),
    ];

    /// <summary>Ground-truth metrics an accuracy rule may name, and whether higher is better.</summary>
    public static IReadOnlyDictionary<string, bool> AccuracyMetrics { get; } = new Dictionary<string, bool>(StringComparer.Ordinal)
    {
        ["accuracy"] = true,
        ["precision"] = true,
        ["recall"] = true,
        ["f1"] = true,
        ["auc"] = true,
        ["log_loss"] = false,
        ["mae"] = false,
        ["rmse"] = false,
        ["r2"] = true,
    };

    /// <summary>Every metric name users may write.</summary>
    public static IEnumerable<string> AllNames => Names.Select(n => n.Name);

    /// <summary>The name of <paramref name="metric"/>.</summary>
    public static string Name(AlertMetric metric) => Array.Find(Names, n => n.Metric == metric).Name;

    /// <summary>The metric named <paramref name="name"/>, or null.</summary>
    public static AlertMetric? Parse(string? name)
    {
        foreach (var (metric, text) in Names)
        {
            if (string.Equals(text, name, StringComparison.Ordinal))
            {
                return metric;
            }
        }

        return null;
    }

    /// <summary>True for metrics computed per model version (drift windows, ground truth); the others are per endpoint.</summary>
    public static bool IsPerVersion(AlertMetric metric) =>
        metric is AlertMetric.DriftShare or AlertMetric.DriftScore or AlertMetric.PredictionDrift or AlertMetric.AccuracyDrop or AlertMetric.AccuracyValue;

    /// <summary>True for metrics computed over a lookback of live counters.</summary>
    public static bool HasLookback(AlertMetric metric) => !IsPerVersion(metric) || metric is AlertMetric.AccuracyDrop or AlertMetric.AccuracyValue;

    /// <summary>The lookback used when a rule gives none: five minutes for rates and latency, one hour for the burn rate, a day for ground truth.</summary>
    public static TimeSpan DefaultLookback(AlertMetric metric) => metric switch
    {
        AlertMetric.SloBurnRate or AlertMetric.Availability => TimeSpan.FromHours(1),
        AlertMetric.AccuracyDrop or AlertMetric.AccuracyValue => TimeSpan.FromDays(1),
        _ => TimeSpan.FromMinutes(5),
    };
}
