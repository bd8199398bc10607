using System.Globalization;
using Escala.Core.Monitoring.Quality;
using Escala.Server.Monitoring.Alerts;
using Escala.Server.Monitoring.Live;

namespace Escala.Server.Monitoring.Metrics;

/// <summary>
/// Renders <c>/metrics</c>: the live request counters and latency histograms per endpoint, version and department,
/// the SLO gauges, data-quality counters, the latest drift of each version, firing alerts, webhook delivery, ground
/// truth, and the other features' <c>Escala.*</c> meters. Read-only snapshots; the request path is never blocked.
/// </summary>
public sealed class MetricsExposition(
    LiveMetrics metrics, MonitorDirectory monitors, HealthBoard health, AlertEngine alerts, WebhookDelivery delivery, MeterCollector meters,
    IEnumerable<IMetricsSource> sources)
{
    /// <summary>The <c>le</c> bounds of the latency histogram, in seconds (100 µs to 10 s).</summary>
    public static readonly double[] LatencyBounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly IMetricsSource[] _sources = [.. sources];

    /// <summary>The exposition text.</summary>
    public string Render()
    {
        var text = new PrometheusText();
        var series = metrics.All.OrderBy(s => s.Endpoint, StringComparer.Ordinal).ThenBy(s => s.Target, StringComparer.Ordinal)
            .ThenBy(s => s.Department, StringComparer.Ordinal).Select(s => (Series: s, Counts: s.Counters.Read())).ToList();
        Requests(text, series);
        Latency(text, series);
        Slo(text);
        Quality(text);
        Drift(text);
        Alerts(text);
        foreach (var source in _sources)
        {
            source.WriteTo(text);
        }

        meters.WriteTo(text);
        return text.ToString();
    }

    private static void Requests(PrometheusText text, List<(ServingSeries Series, Core.Monitoring.Latency.RequestCounts Counts)> series)
    {
        text.Family("escala_requests_total", "counter", "Requests answered or failed, per endpoint, version (model:version, default, none) and department.");
        foreach (var (s, c) in series)
        {
            text.Sample("escala_requests_total", c.Requests, Labels(s));
        }

        text.Family("escala_request_errors_total", "counter", "Requests nothing answered (every link of the fallback chain failed).");
        foreach (var (s, c) in series)
        {
            text.Sample("escala_request_errors_total", c.Errors, Labels(s));
        }

        text.Family("escala_request_fallbacks_total", "counter", "Requests answered by a fallback version or the default answer.");
        foreach (var (s, c) in series)
        {
            text.Sample("escala_request_fallbacks_total", c.Fallbacks, Labels(s));
        }

        text.Family("escala_request_rejections_total", "counter", "Requests refused before running, by reason: invalid_input (does not fit the model) or quality (the data-quality policy).");
        foreach (var (s, _) in series)
        {
            text.Sample("escala_request_rejections_total", s.InvalidInputs, ("endpoint", s.Endpoint), ("version", s.Target), ("department", s.Department ?? ""), ("reason", "invalid_input"));
            text.Sample("escala_request_rejections_total", s.QualityRejections, ("endpoint", s.Endpoint), ("version", s.Target), ("department", s.Department ?? ""), ("reason", "quality"));
        }
    }

    private static void Latency(PrometheusText text, List<(ServingSeries Series, Core.Monitoring.Latency.RequestCounts Counts)> series)
    {
        const string name = "escala_request_duration_seconds";
        text.Family(name, "histogram", "Request latency from arrival to answer, whatever the outcome.");
        foreach (var (s, _) in series)
        {
            var snapshot = s.Latency.Snapshot();
            var department = s.Department ?? "";
            foreach (var bound in LatencyBounds)
            {
                var le = bound.ToString("R", CultureInfo.InvariantCulture);
                text.Sample(name + "_bucket", snapshot.CountAtOrBelow((long)Math.Round(bound * 1_000_000)), ("endpoint", s.Endpoint), ("version", s.Target), ("department", department), ("le", le));
            }

            text.Sample(name + "_bucket", snapshot.Count, ("endpoint", s.Endpoint), ("version", s.Target), ("department", department), ("le", "+Inf"));
            text.Sample(name + "_sum", snapshot.SumMicroseconds / 1_000_000.0, Labels(s));
            text.Sample(name + "_count", snapshot.Count, Labels(s));
        }
    }

    private void Slo(PrometheusText text)
    {
        var board = health.All.Values.OrderBy(h => h.Endpoint, StringComparer.Ordinal).ToList();
        text.Family("escala_slo_target_ratio", "gauge", "The endpoint's availability objective.");
        foreach (var h in board)
        {
            text.Sample("escala_slo_target_ratio", h.Slo.Target, ("endpoint", h.Endpoint));
        }

        text.Family("escala_slo_availability_ratio", "gauge", "Good / eligible requests over the objective's period (quality rejections and invalid inputs are not eligible).");
        foreach (var h in board)
        {
            text.Sample("escala_slo_availability_ratio", h.Availability, ("endpoint", h.Endpoint), ("period", $"{h.Slo.PeriodDays}d"));
        }

        text.Family("escala_slo_error_budget_remaining_ratio", "gauge", "Share of the period's error budget left (negative when overspent).");
        foreach (var h in board)
        {
            text.Sample("escala_slo_error_budget_remaining_ratio", h.ErrorBudgetRemaining, ("endpoint", h.Endpoint), ("period", $"{h.Slo.PeriodDays}d"));
        }

        text.Family("escala_slo_burn_rate", "gauge", "Error-budget burn rate over a recent window (1 spends the budget exactly over the period).");
        foreach (var h in board)
        {
            text.Sample("escala_slo_burn_rate", h.BurnRate5m, ("endpoint", h.Endpoint), ("window", "5m"));
            text.Sample("escala_slo_burn_rate", h.BurnRate1h, ("endpoint", h.Endpoint), ("window", "1h"));
        }
    }

    private void Quality(PrometheusText text)
    {
        var monitored = monitors.All.OrderBy(m => m.Endpoint, StringComparer.Ordinal).ThenBy(m => m.Target, StringComparer.Ordinal).ToList();
        text.Family("escala_monitored_versions", "gauge", "1 for each endpoint version, by state: monitored (checked against a baseline), capturing (building a baseline) or unmonitored.");
        foreach (var m in monitored)
        {
            var state = m.Unmonitored is null ? "monitored" : m.Capture is not null ? "capturing" : "unmonitored";
            text.Sample("escala_monitored_versions", 1, ("endpoint", m.Endpoint), ("version", m.Target), ("state", state));
        }

        text.Family("escala_quality_rows_checked_total", "counter", "Request rows checked against the version's baseline.");
        foreach (var m in monitored.Where(m => m.Quality is not null))
        {
            text.Sample("escala_quality_rows_checked_total", m.RowsChecked, ("endpoint", m.Endpoint), ("version", m.Target));
        }

        text.Family("escala_quality_rows_flagged_total", "counter", "Rows with at least one data-quality problem (answered under the flag policy, refused under reject).");
        foreach (var m in monitored.Where(m => m.Quality is not null))
        {
            text.Sample("escala_quality_rows_flagged_total", m.RowsFlagged, ("endpoint", m.Endpoint), ("version", m.Target));
        }

        text.Family("escala_quality_issues_total", "counter", "Data-quality problems by feature and kind (missing, wrong_type, out_of_range, unseen_category).");
        foreach (var m in monitored.Where(m => m.Baseline is not null))
        {
            for (var f = 0; f < m.Baseline!.Features.Count; f++)
            {
                foreach (var problem in Enum.GetValues<QualityProblem>())
                {
                    var count = m.Issues(f, problem);
                    if (count > 0)
                    {
                        text.Sample("escala_quality_issues_total", count, ("endpoint", m.Endpoint), ("version", m.Target),
                            ("feature", m.Baseline.Features[f].Name), ("problem", Snake(problem.ToString())));
                    }
                }
            }
        }
    }

    private void Drift(PrometheusText text)
    {
        var reported = monitors.All.Where(m => m.LatestReport is not null)
            .OrderBy(m => m.Endpoint, StringComparer.Ordinal).ThenBy(m => m.Target, StringComparer.Ordinal).ToList();
        text.Family("escala_drift_windows_total", "counter", "Drift windows closed and evaluated since the process started.");
        foreach (var m in monitors.All.Where(m => m.Window is not null).OrderBy(m => m.Endpoint, StringComparer.Ordinal).ThenBy(m => m.Target, StringComparer.Ordinal))
        {
            text.Sample("escala_drift_windows_total", m.WindowsClosed, ("endpoint", m.Endpoint), ("version", m.Target));
        }

        text.Family("escala_drift_share_ratio", "gauge", "Share of judged features that drifted in the latest closed window.");
        foreach (var m in reported)
        {
            text.Sample("escala_drift_share_ratio", m.LatestReport!.DriftedShare, ("endpoint", m.Endpoint), ("version", m.Target));
        }

        text.Family("escala_drift_window_rows", "gauge", "Rows in the latest closed window.");
        foreach (var m in reported)
        {
            text.Sample("escala_drift_window_rows", m.LatestReport!.Rows, ("endpoint", m.Endpoint), ("version", m.Target));
        }

        text.Family("escala_drift_score", "gauge", "Each column's deciding drift statistic in the latest window (a distance, or a p-value for test methods), with its method and verdict.");
        foreach (var m in reported)
        {
            var report = m.LatestReport!;
            foreach (var f in report.Prediction is null ? report.Features : report.Features.Append(report.Prediction))
            {
                text.Sample("escala_drift_score", f.Score, ("endpoint", m.Endpoint), ("version", m.Target), ("feature", f.Name),
                    ("method", Snake(f.Method.ToString())), ("verdict", Snake(f.Verdict.ToString())), ("prediction", ReferenceEquals(f, report.Prediction) ? "true" : "false"));
            }
        }
    }

    private void Alerts(PrometheusText text)
    {
        text.Family("escala_alerts_firing", "gauge", "1 for every alert firing now (or waiting to resolve), by rule and version.");
        foreach (var a in alerts.Firing.OrderBy(a => a.Rule.Endpoint, StringComparer.Ordinal).ThenBy(a => a.Rule.Id).ThenBy(a => a.Series, StringComparer.Ordinal))
        {
            text.Sample("escala_alerts_firing", 1, ("endpoint", a.Rule.Endpoint), ("rule", a.Rule.Name), ("severity", a.Rule.Severity.ToString().ToLowerInvariant()),
                ("version", a.Series), ("metric", a.Rule.MetricName));
        }

        text.Family("escala_alert_deliveries_total", "counter", "Alert events delivered to all their webhooks, or failed for at least one (after every retry).");
        text.Sample("escala_alert_deliveries_total", delivery.Delivered, ("result", "delivered"));
        text.Sample("escala_alert_deliveries_total", delivery.Failed, ("result", "failed"));
        text.Family("escala_alert_delivery_attempts_total", "counter", "Webhook HTTP attempts, retries included.");
        text.Sample("escala_alert_delivery_attempts_total", delivery.Attempts);
        text.Family("escala_alert_delivery_queue", "gauge", "Alert deliveries waiting to be sent.");
        text.Sample("escala_alert_delivery_queue", delivery.Queued);
    }

    private static (string, string?)[] Labels(ServingSeries s) => [("endpoint", s.Endpoint), ("version", s.Target), ("department", s.Department ?? "")];

    private static string Snake(string pascal)
    {
        var result = new System.Text.StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
            {
                result.Append('_');
            }

            result.Append(char.ToLowerInvariant(pascal[i]));
        }

        return result.ToString();
    }
}

/// <summary>Another part of monitoring that adds families to <c>/metrics</c> (e.g. ground truth).</summary>
public interface IMetricsSource
{
    /// <summary>Writes its families.</summary>
    void WriteTo(PrometheusText text);
}
