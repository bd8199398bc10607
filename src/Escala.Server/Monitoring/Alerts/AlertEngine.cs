using System.Globalization;
using System.Text;
using Escala.Core.Monitoring.Alerts;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Latency;
using Escala.Core.Monitoring.Settings;
using Escala.Server.Monitoring.Live;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escala.Server.Monitoring.Alerts;

/// <summary>One alert that is firing now, for /metrics and the status page.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Series">The version it is about, or empty for the endpoint.</param>
/// <param name="State">Its state.</param>
/// <param name="Value">The last value evaluated.</param>
public sealed record FiringAlert(AlertRuleSpec Rule, string Series, AlertState State, double Value);

/// <summary>
/// Evaluates the stored alert rules with Core's <see cref="AlertEvaluator"/>: drift rules on every closed window
/// of their endpoint (one series per version), the others on a schedule from the live counters (rates, latency, SLO
/// burn over the rule's lookback) or ground truth. States are kept in memory and stored when they change, so a
/// restart neither forgets a firing alert nor fires it twice; fire and resolve events are stored and handed to
/// <see cref="WebhookDelivery"/>. A per-version series with no value for a day resolves as stale.
/// </summary>
public sealed partial class AlertEngine
{
    private readonly IAlertStore _store;
    private readonly WebhookDelivery _delivery;
    private readonly LiveMetrics _metrics;
    private readonly CounterHistory _history;
    private readonly DurableCounts _counts;
    private readonly MonitoringConfiguration _configuration;
    private readonly IGroundTruthSource? _groundTruth;
    private readonly MonitoringOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertEngine> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<(long Rule, string Series), StoredAlertState>? _states;
    private volatile IReadOnlyList<AlertRuleSpec>? _rules;
    private volatile IReadOnlyList<FiringAlert> _firing = [];

    /// <summary>Creates the engine; it reloads rules whenever <paramref name="rules"/> changes them.</summary>
    public AlertEngine(
        IAlertStore store, AlertRules rules, WebhookDelivery delivery, LiveMetrics metrics, CounterHistory history, DurableCounts counts,
        MonitoringConfiguration configuration, IOptions<MonitoringOptions> options, TimeProvider time, ILogger<AlertEngine> logger,
        IGroundTruthSource? groundTruth = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _delivery = delivery;
        _metrics = metrics;
        _history = history;
        _counts = counts;
        _configuration = configuration;
        _groundTruth = groundTruth;
        _options = options.Value;
        _time = time;
        _logger = logger;
        rules.Changed += () => _rules = null;
    }

    /// <summary>Alerts firing (or waiting to resolve) now.</summary>
    public IReadOnlyList<FiringAlert> Firing => _firing;

    /// <summary>Evaluates the drift rules of <paramref name="endpoint"/> on a version's new window.</summary>
    public async Task OnReportAsync(string endpoint, string target, DriftReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var rules = await RulesAsync(cancellationToken);
            var states = await StatesAsync(cancellationToken);
            var pending = new Changes();
            var now = _time.GetUtcNow();
            foreach (var rule in rules)
            {
                if (!string.Equals(rule.Endpoint, endpoint, StringComparison.Ordinal)
                    || rule.Metric is not (AlertMetric.DriftShare or AlertMetric.DriftScore or AlertMetric.PredictionDrift))
                {
                    continue;
                }

                var (value, detail) = DriftValue(rule, report);
                Step(rule, target, value, detail, now, states, pending);
            }

            await CommitAsync(pending, states, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Evaluates the endpoint-level and ground-truth rules and resolves stale series (the worker, every evaluation interval).</summary>
    public async Task EvaluateAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var rules = await RulesAsync(cancellationToken);
            var states = await StatesAsync(cancellationToken);
            var pending = new Changes();
            var now = _time.GetUtcNow();
            foreach (var rule in rules)
            {
                if (rule.Metric is AlertMetric.AccuracyDrop or AlertMetric.AccuracyValue)
                {
                    if (_groundTruth is not null)
                    {
                        foreach (var (target, value, detail) in await _groundTruth.AlertValuesAsync(rule, now, cancellationToken))
                        {
                            Step(rule, target, value, detail, now, states, pending);
                        }
                    }

                    continue;
                }

                if (!AlertMetrics.IsPerVersion(rule.Metric))
                {
                    var (value, detail) = await EndpointValueAsync(rule, now, cancellationToken);
                    Step(rule, "", value, detail, now, states, pending);
                }
            }

            ResolveStale(rules, states, now, pending);
            await CommitAsync(pending, states, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The value of an endpoint-level metric now, with a sentence saying what it is made of; NaN when there is no data.</summary>
    public async Task<(double Value, string Detail)> EndpointValueAsync(AlertRuleSpec rule, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var lookback = rule.Lookback;
        var span = WindowSetting.Describe(lookback);
        RequestCounts counts;
        LatencySnapshot? latency = null;
        if (lookback <= _history.Length)
        {
            (counts, latency, _) = _history.Over(_metrics, rule.Endpoint, lookback, now);
        }
        else
        {
            counts = await _counts.SinceAsync(rule.Endpoint, now - lookback, cancellationToken);
        }

        var eligible = ServiceLevelObjective.EligibleRequests(counts);
        var c = CultureInfo.InvariantCulture;
        switch (rule.Metric)
        {
            case AlertMetric.ErrorRate:
                return eligible <= 0 ? (double.NaN, $"no requests in the last {span}")
                    : ((double)counts.Errors / eligible, string.Create(c, $"{counts.Errors} of {eligible} requests failed in the last {span}"));
            case AlertMetric.FallbackRate:
                return eligible <= 0 ? (double.NaN, $"no requests in the last {span}")
                    : ((double)counts.Fallbacks / eligible, string.Create(c, $"{counts.Fallbacks} of {eligible} requests were answered by a fallback in the last {span}"));
            case AlertMetric.RejectionRate:
                return counts.Requests <= 0 ? (double.NaN, $"no requests in the last {span}")
                    : ((double)counts.Rejected / counts.Requests, string.Create(c, $"{counts.Rejected} of {counts.Requests} requests were refused (invalid input or data quality) in the last {span}"));
            case AlertMetric.LatencyP50 or AlertMetric.LatencyP95 or AlertMetric.LatencyP99:
                if (latency is null || latency.Count == 0)
                {
                    return (double.NaN, latency is null ? "latency is kept for the last hour only" : $"no requests in the last {span}");
                }

                var q = rule.Metric switch { AlertMetric.LatencyP50 => 0.5, AlertMetric.LatencyP95 => 0.95, _ => 0.99 };
                var ms = latency.Quantile(q) / 1000.0;
                return (ms, string.Create(c, $"p{q * 100:0} latency {ms:0.###} ms over {latency.Count} requests in the last {span}"));
            default:
                var settings = await _configuration.EffectiveAsync(rule.Endpoint, cancellationToken);
                var slo = settings.Slo.ToObjective();
                if (rule.Metric == AlertMetric.SloBurnRate)
                {
                    var burn = slo.BurnRate(counts);
                    return (burn, string.Create(c, $"burn rate {burn:0.##} over the last {span} ({slo.BadRequests(counts)} bad of {eligible} requests, target {slo.Target:0.####})"));
                }

                var availability = slo.Availability(counts);
                return eligible <= 0 ? (double.NaN, $"no requests in the last {span}")
                    : (availability, string.Create(c, $"availability {availability * 100:0.000}% over the last {span} (target {slo.Target * 100:0.000}%)"));
        }
    }

    private static (double Value, string? Detail) DriftValue(AlertRuleSpec rule, DriftReport report)
    {
        var c = CultureInfo.InvariantCulture;
        switch (rule.Metric)
        {
            case AlertMetric.DriftShare:
                if (report.ColumnsJudged == 0)
                {
                    return (double.NaN, null);
                }

                var detail = new StringBuilder();
                var drifted = report.Features.Where(f => f.Verdict == DriftVerdict.Drifted).OrderByDescending(f => f.Score).ToList();
                detail.Append(c, $"{drifted.Count} of {report.Features.Count(f => f.Verdict != DriftVerdict.InsufficientData)} features drifted in the window {report.Start:u} - {report.End:u} ({report.Rows} rows)");
                if (drifted.Count > 0)
                {
                    detail.Append(": ").AppendJoin(", ", drifted.Take(10).Select(f => string.Create(c, $"{f.Name} ({Method(f.Method)} {Score(f.Score)})")));
                }

                if (report.Prediction?.Verdict == DriftVerdict.Drifted)
                {
                    detail.Append("; the prediction drifted too");
                }

                return (report.DriftedShare, detail.ToString());
            case AlertMetric.PredictionDrift:
                return report.Prediction is { Verdict: not DriftVerdict.InsufficientData } p
                    ? (p.Score, string.Create(c, $"prediction {p.Name}: {Method(p.Method)} {Score(p.Score)} ({p.Verdict.ToString().ToLowerInvariant()})"))
                    : (double.NaN, null);
            default:
                var feature = report.Features.FirstOrDefault(f => f.Name == rule.Feature)
                    ?? (report.Prediction?.Name == rule.Feature ? report.Prediction : null);
                return feature is { Verdict: not DriftVerdict.InsufficientData }
                    ? (feature.Score, string.Create(c, $"{feature.Name}: {Method(feature.Method)} {Score(feature.Score)} ({feature.Verdict.ToString().ToLowerInvariant()})"))
                    : (double.NaN, null);
        }
    }

    // Three decimals, except for the tiny p-values of clear drift, which would all read 0.
    private static string Score(double score) =>
        score is > 0 and < 0.001 ? score.ToString("0.##e+0", CultureInfo.InvariantCulture) : score.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Method(DriftMethod method) => method switch
    {
        DriftMethod.Psi => "PSI",
        DriftMethod.KolmogorovSmirnov => "KS p",
        DriftMethod.Wasserstein => "W1/sd",
        DriftMethod.ChiSquare => "chi-square p",
        _ => "JS",
    };

    private void Step(AlertRuleSpec rule, string series, double value, string? detail, DateTimeOffset now, Dictionary<(long Rule, string Series), StoredAlertState> states, Changes pending)
    {
        var key = (rule.Id, series);
        var previous = states.TryGetValue(key, out var stored) ? stored.State : AlertState.Initial;
        var step = AlertEvaluator.Evaluate(rule.ToRule(), previous, value, now);
        var updated = new StoredAlertState(rule.Id, series, step.State, double.IsNaN(value) ? stored?.LastValue ?? double.NaN : value, double.IsNaN(value) ? stored?.UpdatedAt ?? now : now);
        states[key] = updated;
        if (!Equals(previous, step.State))
        {
            pending.States.Add(updated);
        }

        if (step.Transition is { } t)
        {
            pending.Events.Add((rule, Event(rule, series, t, detail)));
        }
    }

    private void ResolveStale(IReadOnlyList<AlertRuleSpec> rules, Dictionary<(long Rule, string Series), StoredAlertState> states, DateTimeOffset now, Changes pending)
    {
        var byId = rules.ToDictionary(r => r.Id);
        foreach (var (key, stored) in states.ToList())
        {
            if (key.Series.Length == 0 || stored.State.Status is not (AlertStatus.Firing or AlertStatus.Resolving)
                || now - stored.UpdatedAt < _options.StaleSeriesAfter || !byId.TryGetValue(key.Rule, out var rule))
            {
                continue;
            }

            var resolved = new StoredAlertState(key.Rule, key.Series, new AlertState(AlertStatus.Inactive, now, null), double.NaN, now);
            states[key] = resolved;
            pending.States.Add(resolved);
            var transition = new AlertTransition(rule.Name, rule.MetricName, AlertTransitionKind.Resolved, rule.Severity, double.NaN,
                rule.ResolveThreshold ?? rule.Threshold, now, stored.State.FiredAt ?? stored.State.Since);
            pending.Events.Add((rule, Event(rule, key.Series, transition,
                $"{key.Series} produced no value for {WindowSetting.Describe(_options.StaleSeriesAfter)} (no longer served?); resolved as stale")));
        }
    }

    private static AlertEvent Event(AlertRuleSpec rule, string series, AlertTransition t, string? detail) => new(
        0, rule.Id, rule.Name, rule.Endpoint, series, t.Kind, t.Severity, rule.MetricName, t.Value, t.Threshold, t.At, t.FiredAt, detail,
        rule.Webhooks.Count > 0 ? DeliveryStatus.Pending : DeliveryStatus.None, 0, null);

    private async Task CommitAsync(Changes pending, Dictionary<(long Rule, string Series), StoredAlertState> states, CancellationToken cancellationToken)
    {
        if (pending.States.Count > 0 || pending.Events.Count > 0)
        {
            var stored = await _store.RecordAsync(pending.States, [.. pending.Events.Select(e => e.Event)], cancellationToken);
            for (var i = 0; i < stored.Count; i++)
            {
                var (rule, _) = pending.Events[i];
                var alert = stored[i];
                LogTransition(_logger, alert.Kind.ToString().ToLowerInvariant(), alert.Rule, alert.Endpoint, alert.Series, alert.Value, alert.Detail);
                _delivery.Enqueue(alert, rule.Webhooks);
            }
        }

        var rules = (_rules ?? []).ToDictionary(r => r.Id);
        _firing = [.. states.Values
            .Where(s => s.State.Status is AlertStatus.Firing or AlertStatus.Resolving && rules.ContainsKey(s.RuleId))
            .Select(s => new FiringAlert(rules[s.RuleId], s.Series, s.State, s.LastValue))];
    }

    private async Task<IReadOnlyList<AlertRuleSpec>> RulesAsync(CancellationToken cancellationToken)
    {
        var rules = _rules;
        if (rules is null)
        {
            rules = await _store.ListRulesAsync(null, cancellationToken);
            _rules = rules;
            if (_states is not null)
            {
                // Forget the states of removed rules (the store already deleted them).
                var ids = rules.Select(r => r.Id).ToHashSet();
                foreach (var key in _states.Keys.Where(k => !ids.Contains(k.Rule)).ToList())
                {
                    _states.Remove(key);
                }
            }
        }

        return rules;
    }

    private async Task<Dictionary<(long Rule, string Series), StoredAlertState>> StatesAsync(CancellationToken cancellationToken) =>
        _states ??= (await _store.ListStatesAsync(cancellationToken)).ToDictionary(s => (s.RuleId, s.Series));

    [LoggerMessage(EventId = 420, Level = LogLevel.Warning, Message = "Alert {Kind}: {Rule} on {Endpoint} {Series} (value {Value}): {Detail}")]
    private static partial void LogTransition(ILogger logger, string kind, string rule, string endpoint, string series, double value, string? detail);

    private sealed class Changes
    {
        public List<StoredAlertState> States { get; } = [];

        public List<(AlertRuleSpec Rule, AlertEvent Event)> Events { get; } = [];
    }
}

/// <summary>Ground-truth values for accuracy rules (the feedback API provides them).</summary>
public interface IGroundTruthSource
{
    /// <summary>For each version of the rule's endpoint with labels in the rule's lookback: the rule's value and what it is made of.</summary>
    Task<IReadOnlyList<(string Target, double Value, string Detail)>> AlertValuesAsync(AlertRuleSpec rule, DateTimeOffset now, CancellationToken cancellationToken);
}
