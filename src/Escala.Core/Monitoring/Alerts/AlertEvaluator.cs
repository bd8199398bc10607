namespace Escala.Core.Monitoring.Alerts;

/// <summary>
/// Pure alert logic: given a rule, its previous state, a new value and the time, returns the next state and
/// a fire/resolve transition when one happens. No clock, no storage, no delivery: the caller evaluates on a
/// schedule (e.g. each closed window or every 30 s), stores the state and delivers transitions.
/// A NaN value (no data) keeps the state unchanged.
/// </summary>
public static class AlertEvaluator
{
    /// <summary>One evaluation step.</summary>
    public static AlertStep Evaluate(AlertRule rule, AlertState state, double value, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(state);
        if (double.IsNaN(value))
        {
            return new AlertStep(state, null);
        }

        switch (state.Status)
        {
            case AlertStatus.Inactive:
            case AlertStatus.Pending:
                if (!rule.IsBreached(value))
                {
                    return new AlertStep(state.Status == AlertStatus.Inactive ? state : new AlertState(AlertStatus.Inactive, now, null), null);
                }

                var breachedSince = state.Status == AlertStatus.Pending ? state.Since : now;
                if (now - breachedSince >= rule.For)
                {
                    var fired = new AlertState(AlertStatus.Firing, now, now);
                    return new AlertStep(fired, new AlertTransition(rule.Name, rule.Metric, AlertTransitionKind.Fired, rule.Severity, value, rule.Threshold, now, now));
                }

                return new AlertStep(state.Status == AlertStatus.Pending ? state : new AlertState(AlertStatus.Pending, now, null), null);

            default:
                var firedAt = state.FiredAt ?? state.Since;
                if (!rule.IsHealthy(value))
                {
                    return new AlertStep(state.Status == AlertStatus.Firing ? state : new AlertState(AlertStatus.Firing, now, firedAt), null);
                }

                var healthySince = state.Status == AlertStatus.Resolving ? state.Since : now;
                if (now - healthySince >= rule.ResolveFor)
                {
                    var threshold = rule.ResolveThreshold ?? rule.Threshold;
                    return new AlertStep(
                        new AlertState(AlertStatus.Inactive, now, null),
                        new AlertTransition(rule.Name, rule.Metric, AlertTransitionKind.Resolved, rule.Severity, value, threshold, now, firedAt));
                }

                return new AlertStep(state.Status == AlertStatus.Resolving ? state : new AlertState(AlertStatus.Resolving, now, firedAt), null);
        }
    }
}
