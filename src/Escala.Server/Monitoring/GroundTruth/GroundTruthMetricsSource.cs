using System.Globalization;
using Escala.Core.Monitoring.Accuracy;
using Escala.Core.Monitoring.Alerts;
using Escala.Core.Monitoring.Settings;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Server.Monitoring.Alerts;
using Escala.Server.Monitoring.Live;
using Escala.Server.Monitoring.Metrics;

namespace Escala.Server.Monitoring.GroundTruth;

/// <summary>Ground-truth metrics of one version (and department) with the values registered with the version.</summary>
/// <param name="Target">The version.</param>
/// <param name="Department">The department, or null for all.</param>
/// <param name="Task">How labels were scored.</param>
/// <param name="Labels">Labels counted.</param>
/// <param name="Metrics">Every metric that applies.</param>
/// <param name="Registered">The same metrics as registered with the version (its evaluation), where it has them.</param>
/// <param name="Drop">How much worse than registered each metric is (positive = worse).</param>
public sealed record AccuracyEntry(
    string Target, string? Department, GroundTruthTask Task, long Labels, IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, double> Registered, IReadOnlyDictionary<string, double> Drop);

/// <summary>An endpoint's ground-truth metrics over a period.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Window">The period, e.g. 24h.</param>
/// <param name="Since">Predictions made from then on.</param>
/// <param name="Versions">Per version (and per department when asked).</param>
public sealed record AccuracyView(string Endpoint, string Window, DateTimeOffset Since, IReadOnlyList<AccuracyEntry> Versions);

/// <summary>
/// Computes ground-truth metrics from the stored labels (windowed by prediction time, per version and department),
/// serves them to the accuracy API, to accuracy alert rules (the drop against the version's registered metrics, or
/// the raw value; at least <see cref="MinimumLabels"/> labels), and to <c>/metrics</c> (refreshed by the worker).
/// </summary>
public sealed class GroundTruthMetricsSource(IFeedbackStore store, IModelStore models, MonitoringConfiguration configuration, TimeProvider time)
    : IGroundTruthSource, IMetricsSource
{
    /// <summary>Fewest labels an alert judges on; fewer give no value (the state is kept).</summary>
    public const int MinimumLabels = 30;

    /// <summary>The period /metrics reports.</summary>
    public static readonly TimeSpan MetricsWindow = TimeSpan.FromDays(1);

    private volatile IReadOnlyList<(string Endpoint, AccuracyEntry Entry)> _published = [];

    /// <summary>The endpoint's metrics over the last <paramref name="window"/> (e.g. 24h), per version or per version and department.</summary>
    public async Task<AccuracyView> GetAsync(string endpoint, string window, bool byDepartment, CancellationToken cancellationToken = default)
    {
        await configuration.RequireEndpointAsync(endpoint, cancellationToken);
        var period = WindowSetting.Parse(window) is { Seconds: { } seconds } ? TimeSpan.FromSeconds(seconds)
            : throw ProblemTypes.ValidationFailed.With($"window must be a period such as 24h, 7d or 30m; got '{Core.Naming.ResourceName.Printable(window)}'.");
        var since = time.GetUtcNow() - period;
        return new AccuracyView(endpoint, window, since, await EntriesAsync(endpoint, since, byDepartment, cancellationToken));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<(string Target, double Value, string Detail)>> AlertValuesAsync(AlertRuleSpec rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var metric = rule.AccuracyMetric!;
        var span = WindowSetting.Describe(rule.Lookback);
        var values = new List<(string, double, string)>();
        foreach (var entry in await EntriesAsync(rule.Endpoint, now - rule.Lookback, false, cancellationToken))
        {
            if (entry.Labels < MinimumLabels || !entry.Metrics.TryGetValue(metric, out var current))
            {
                continue;
            }

            var c = CultureInfo.InvariantCulture;
            if (rule.Metric == AlertMetric.AccuracyValue)
            {
                values.Add((entry.Target, current, string.Create(c, $"{metric} {current:0.####} on {entry.Labels} labels of the last {span}")));
            }
            else if (entry.Drop.TryGetValue(metric, out var drop))
            {
                values.Add((entry.Target, drop, string.Create(c, $"{metric} {current:0.####} on {entry.Labels} labels of the last {span}, registered {entry.Registered[metric]:0.####} (worse by {drop:0.####})")));
            }
        }

        return values;
    }

    /// <summary>Recomputes the figures /metrics shows (the worker, every evaluation interval).</summary>
    public async Task RefreshAsync(IEnumerable<string> endpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var since = time.GetUtcNow() - MetricsWindow;
        var published = new List<(string, AccuracyEntry)>();
        foreach (var endpoint in endpoints)
        {
            foreach (var entry in await EntriesAsync(endpoint, since, true, cancellationToken))
            {
                published.Add((endpoint, entry));
            }

            foreach (var entry in await EntriesAsync(endpoint, since, false, cancellationToken))
            {
                published.Add((endpoint, entry));
            }
        }

        _published = published;
    }

    /// <inheritdoc/>
    public void WriteTo(PrometheusText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var published = _published;
        text.Family("escala_feedback_labels", "gauge", "Ground-truth labels of predictions made in the last 24 hours, per version and department (empty: all departments).");
        foreach (var (endpoint, e) in published)
        {
            text.Sample("escala_feedback_labels", e.Labels, ("endpoint", endpoint), ("version", e.Target), ("department", e.Department ?? ""), ("task", e.Task.ToString().ToLowerInvariant()));
        }

        text.Family("escala_accuracy", "gauge", "Ground-truth metrics of predictions made in the last 24 hours (accuracy, precision, recall, f1, auc, log_loss, mae, rmse, r2).");
        foreach (var (endpoint, e) in published)
        {
            foreach (var (metric, value) in e.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                text.Sample("escala_accuracy", value, ("endpoint", endpoint), ("version", e.Target), ("department", e.Department ?? ""), ("metric", metric));
            }
        }

        text.Family("escala_accuracy_drop", "gauge", "How much worse than its registered value each ground-truth metric is over the last 24 hours (positive = worse).");
        foreach (var (endpoint, e) in published.Where(p => p.Entry.Department is null))
        {
            foreach (var (metric, value) in e.Drop.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                text.Sample("escala_accuracy_drop", value, ("endpoint", endpoint), ("version", e.Target), ("metric", metric));
            }
        }
    }

    private async Task<IReadOnlyList<AccuracyEntry>> EntriesAsync(string endpoint, DateTimeOffset since, bool byDepartment, CancellationToken cancellationToken)
    {
        var settings = await configuration.EffectiveAsync(endpoint, cancellationToken);
        var rows = await store.ListAsync(endpoint, since, cancellationToken);
        var entries = new List<AccuracyEntry>();
        foreach (var m in GroundTruthMetrics.Compute(rows, settings.GroundTruth.Threshold, byDepartment))
        {
            var values = m.Values();
            var registered = await RegisteredAsync(m.Target, cancellationToken);
            var drop = new Dictionary<string, double>(StringComparer.Ordinal);
            var known = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (name, value) in values)
            {
                if (registered.TryGetValue(name, out var baseline))
                {
                    known[name] = baseline;
                    drop[name] = AlertMetrics.AccuracyMetrics[name] ? baseline - value : value - baseline;
                }
            }

            entries.Add(new AccuracyEntry(m.Target, m.Department, m.Task, m.Labels, values, known, drop));
        }

        return entries;
    }

    private async Task<IReadOnlyDictionary<string, double>> RegisteredAsync(string target, CancellationToken cancellationToken) =>
        MonitorDirectory.TryParseTarget(target, out var model, out var number) && await models.FindVersionAsync(model, number, cancellationToken) is { } version
            ? version.Metrics
            : new Dictionary<string, double>();
}
