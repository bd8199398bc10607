using Escala.Core.Monitoring.Alerts;

namespace Escala.Core.Tests.Monitoring.Alerts;

public sealed class AlertRuleSpecTests
{
    private static AlertRuleSpec Rule(AlertMetric metric, string? feature = null, string? accuracy = null, long? lookback = null) =>
        new(0, "e", "r", metric, feature, accuracy, lookback, AlertComparison.GreaterThan, 0.1, AlertSeverity.Warning, 0, null, 0, [], default, "");

    [Fact]
    public void Metric_names_read_back_and_carry_their_parameter()
    {
        foreach (var name in AlertMetrics.AllNames)
        {
            Assert.Equal(name, AlertMetrics.Name(AlertMetrics.Parse(name)!.Value));
        }

        Assert.Equal("drift.score(age)", Rule(AlertMetric.DriftScore, feature: "age").MetricName);
        Assert.Equal("accuracy.drop(auc)", Rule(AlertMetric.AccuracyDrop, accuracy: "auc").MetricName);
        Assert.Null(AlertMetrics.Parse("cpu"));
    }

    [Fact]
    public void Lookbacks_default_per_metric_and_apply_only_where_they_mean_something()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), Rule(AlertMetric.ErrorRate).Lookback);
        Assert.Equal(TimeSpan.FromHours(1), Rule(AlertMetric.SloBurnRate).Lookback);
        Assert.Equal(TimeSpan.FromDays(1), Rule(AlertMetric.AccuracyDrop, accuracy: "f1").Lookback);
        Assert.Empty(Rule(AlertMetric.LatencyP99, lookback: 120).Problems());
        Assert.Contains(Rule(AlertMetric.DriftShare, lookback: 120).Problems(), p => p.Contains("does not apply", StringComparison.Ordinal));
        Assert.Contains(Rule(AlertMetric.ErrorRate, lookback: 5).Problems(), p => p.Contains("between 10 and", StringComparison.Ordinal));
    }

    [Fact]
    public void The_core_rule_keeps_durations_and_hysteresis()
    {
        var spec = Rule(AlertMetric.ErrorRate) with { ForSeconds = 60, ResolveThreshold = 0.05, ResolveForSeconds = 120 };
        var rule = spec.ToRule();
        Assert.Equal(TimeSpan.FromMinutes(1), rule.For);
        Assert.Equal(TimeSpan.FromMinutes(2), rule.ResolveFor);
        Assert.Equal(0.05, rule.ResolveThreshold);
        Assert.Equal("error.rate", rule.Metric);
    }
}
