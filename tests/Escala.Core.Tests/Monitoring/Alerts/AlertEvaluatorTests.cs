using Escala.Core.Monitoring.Alerts;

namespace Escala.Core.Tests.Monitoring.Alerts;

public sealed class AlertEvaluatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly AlertRule ErrorRate = new("errors", "error_rate", AlertComparison.GreaterThan, 0.05, AlertSeverity.Critical)
    {
        For = TimeSpan.FromMinutes(2),
        ResolveThreshold = 0.02,
        ResolveFor = TimeSpan.FromMinutes(5),
    };

    [Fact]
    public void Fires_only_after_the_breach_lasts_for_the_rule_duration()
    {
        var (state, events) = Run(ErrorRate, (0, 0.10), (1, 0.10), (2, 0.10), (3, 0.10));

        var fired = Assert.Single(events);
        Assert.Equal(AlertTransitionKind.Fired, fired.Kind);
        Assert.Equal(T0.AddMinutes(2), fired.At);
        Assert.Equal(AlertSeverity.Critical, fired.Severity);
        Assert.Equal(AlertStatus.Firing, state.Status);
    }

    [Fact]
    public void A_breach_shorter_than_the_duration_never_fires()
    {
        var (state, events) = Run(ErrorRate, (0, 0.10), (1, 0.01), (2, 0.10), (3, 0.01));
        Assert.Empty(events);
        Assert.Equal(AlertStatus.Inactive, state.Status);
    }

    [Fact]
    public void Hysteresis_keeps_a_value_hovering_at_the_threshold_from_flapping()
    {
        // Fires at minute 2; then the value hovers between 0.03 and 0.06 (above the 0.02 resolve line): no resolve, no re-fire.
        var (_, events) = Run(ErrorRate, (0, 0.1), (2, 0.1), (3, 0.04), (4, 0.06), (5, 0.03), (6, 0.06), (7, 0.03));
        Assert.Single(events);
    }

    [Fact]
    public void Resolves_after_staying_healthy_for_the_resolve_duration()
    {
        var (state, events) = Run(ErrorRate, (0, 0.1), (2, 0.1), (3, 0.01), (5, 0.01), (8, 0.01));

        Assert.Equal(2, events.Count);
        var resolved = events[1];
        Assert.Equal(AlertTransitionKind.Resolved, resolved.Kind);
        Assert.Equal(T0.AddMinutes(8), resolved.At);
        Assert.Equal(T0.AddMinutes(2), resolved.FiredAt);
        Assert.Equal(AlertStatus.Inactive, state.Status);
    }

    [Fact]
    public void No_data_keeps_the_state()
    {
        var (state, events) = Run(ErrorRate, (0, 0.1), (2, 0.1), (3, double.NaN), (30, double.NaN));
        Assert.Single(events);
        Assert.Equal(AlertStatus.Firing, state.Status);
    }

    [Fact]
    public void Less_than_rules_fire_on_drops_such_as_accuracy()
    {
        var rule = new AlertRule("accuracy", "accuracy", AlertComparison.LessThan, 0.80, AlertSeverity.Warning);
        var (_, events) = Run(rule, (0, 0.9), (1, 0.79), (2, 0.85));
        Assert.Equal([AlertTransitionKind.Fired, AlertTransitionKind.Resolved], events.Select(e => e.Kind));
    }

    [Fact]
    public void A_resolve_threshold_on_the_firing_side_is_refused()
    {
        var bad = ErrorRate with { ResolveThreshold = 0.08 };
        var error = Assert.Throws<ArgumentException>(bad.Validate);
        Assert.Contains("errors", error.Message, StringComparison.Ordinal);
    }

    private static (AlertState State, List<AlertTransition> Events) Run(AlertRule rule, params (int Minute, double Value)[] points)
    {
        rule.Validate();
        var state = AlertState.Initial;
        var events = new List<AlertTransition>();
        foreach (var (minute, value) in points)
        {
            var step = AlertEvaluator.Evaluate(rule, state, value, T0.AddMinutes(minute));
            state = step.State;
            if (step.Transition is { } t)
            {
                events.Add(t);
            }
        }

        return (state, events);
    }
}
