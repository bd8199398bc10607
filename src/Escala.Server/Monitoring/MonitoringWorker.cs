using Escala.Core.Access;
using Escala.Core.Monitoring.Accuracy;
using Escala.Core.Monitoring.Alerts;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Settings;
using Escala.Core.Monitoring.Status;
using Escala.Core.Monitoring.Windows;
using Escala.Core.Registry;
using Escala.Server.Monitoring.Alerts;
using Escala.Server.Monitoring.GroundTruth;
using Escala.Server.Monitoring.Live;
using Escala.Server.Monitoring.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escala.Server.Monitoring;

/// <summary>
/// Monitoring's background work, never on a request's path: builds version monitors as soon as they are asked for;
/// every tick closes due drift windows, evaluates them against the baseline, stores window and report, and hands the
/// report to the drift alert rules; drains baseline captures and stores a baseline once complete; samples counters for
/// lookbacks, evaluates the other alert rules, recomputes SLO health, flushes hourly counts, and keeps OTLP exporters in
/// line with the settings. On shutdown it closes the open windows and flushes the counts, so nothing seen is lost.
/// A failing step is logged and retried on the next tick; it never stops the worker.
/// </summary>
public sealed partial class MonitoringWorker : BackgroundService
{
    private readonly MonitorDirectory _monitors;
    private readonly LiveMetrics _metrics;
    private readonly CounterHistory _history;
    private readonly DurableCounts _counts;
    private readonly IRequestCountStore _countStore;
    private readonly HealthBoard _health;
    private readonly AlertEngine _alerts;
    private readonly IDriftReportStore _reports;
    private readonly VersionBaselines _baselines;
    private readonly IModelStore _models;
    private readonly MonitoringConfiguration _configuration;
    private readonly IMonitoringSettingsStore _settings;
    private readonly OtlpExport _otlp;
    private readonly GroundTruthMetricsSource _groundTruth;
    private readonly IAlertStore _alertStore;
    private readonly IFeedbackStore _feedback;
    private readonly MonitoringOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MonitoringWorker> _logger;
    private readonly SemaphoreSlim _windows = new(1, 1);
    private volatile bool _otlpStale = true;

    /// <summary>Creates the worker; a settings change re-targets the OTLP exporters on the next tick.</summary>
    public MonitoringWorker(
        MonitorDirectory monitors, LiveMetrics metrics, CounterHistory history, DurableCounts counts, IRequestCountStore countStore, HealthBoard health,
        AlertEngine alerts, IDriftReportStore reports, VersionBaselines baselines, IModelStore models, MonitoringConfiguration configuration,
        IMonitoringSettingsStore settings, OtlpExport otlp, GroundTruthMetricsSource groundTruth, IAlertStore alertStore, IFeedbackStore feedback,
        IOptions<MonitoringOptions> options, TimeProvider time, ILogger<MonitoringWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _monitors = monitors;
        _metrics = metrics;
        _history = history;
        _counts = counts;
        _countStore = countStore;
        _health = health;
        _alerts = alerts;
        _reports = reports;
        _baselines = baselines;
        _models = models;
        _configuration = configuration;
        _settings = settings;
        _otlp = otlp;
        _groundTruth = groundTruth;
        _alertStore = alertStore;
        _feedback = feedback;
        _options = options.Value;
        _time = time;
        _logger = logger;
        configuration.Changed += _ => _otlpStale = true;
    }

    /// <summary>Closes due windows and evaluates them now (also what every tick does); tests call it to avoid waiting.</summary>
    public async Task CloseWindowsAsync(CancellationToken cancellationToken = default)
    {
        await _windows.WaitAsync(cancellationToken);
        try
        {
            while (_monitors.TryTakeRetired(out var retired))
            {
                if (retired.Window is not null)
                {
                    await EvaluateAsync(retired, retired.Window.CloseCurrent(), cancellationToken);
                }
            }

            foreach (var monitor in _monitors.All)
            {
                if (monitor.Window is { } window)
                {
                    window.Poll();
                    while (window.TryTakeClosed(out var closed))
                    {
                        await EvaluateAsync(monitor, closed, cancellationToken);
                    }
                }

                if (monitor.Capture is { } capture && capture.Drain())
                {
                    await StoreCapturedBaselineAsync(monitor, capture, cancellationToken);
                }
            }
        }
        finally
        {
            _windows.Release();
        }
    }

    /// <summary>Closes every open window now, whatever its size (shutdown; the drift API's "close now").</summary>
    public async Task CloseAllAsync(CancellationToken cancellationToken = default)
    {
        await _windows.WaitAsync(cancellationToken);
        try
        {
            foreach (var monitor in _monitors.All)
            {
                if (monitor.Window is { } window)
                {
                    window.Poll();
                    while (window.TryTakeClosed(out var closed))
                    {
                        await EvaluateAsync(monitor, closed, cancellationToken);
                    }

                    await EvaluateAsync(monitor, window.CloseCurrent(), cancellationToken);
                }
            }
        }
        finally
        {
            _windows.Release();
        }
    }

    /// <summary>Samples, evaluates the endpoint rules and recomputes health now (what every evaluation interval does).</summary>
    public async Task EvaluateNowAsync(CancellationToken cancellationToken = default)
    {
        _history.Sample(_time.GetUtcNow(), _metrics);
        await _alerts.EvaluateAsync(cancellationToken);
        await PublishHealthAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Safely("closing the open windows", () => CloseAllAsync(CancellationToken.None));
        await Safely("flushing the request counts", () => _counts.FlushAsync(CancellationToken.None));
        _otlp.Flush(2000);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loads = LoadMonitorsAsync(stoppingToken);
        var lastSample = DateTimeOffset.MinValue;
        var lastEvaluation = DateTimeOffset.MinValue;
        var lastFlush = _time.GetUtcNow();
        var lastPrune = DateTimeOffset.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var now = _time.GetUtcNow();
                if (_otlpStale)
                {
                    _otlpStale = false;
                    await Safely("configuring OTLP export", () => ConfigureOtlpAsync(stoppingToken));
                }

                await Safely("closing drift windows", () => CloseWindowsAsync(stoppingToken));
                if (now - lastSample >= _options.SampleInterval)
                {
                    lastSample = now;
                    _history.Sample(now, _metrics);
                }

                if (now - lastEvaluation >= _options.EvaluationInterval)
                {
                    lastEvaluation = now;
                    await Safely("evaluating alert rules", () => _alerts.EvaluateAsync(stoppingToken));
                    await Safely("computing SLO health", () => PublishHealthAsync(stoppingToken));
                }

                if (now - lastFlush >= _options.FlushInterval)
                {
                    lastFlush = now;
                    await Safely("flushing the request counts", () => _counts.FlushAsync(stoppingToken));
                }

                if (now - lastPrune >= TimeSpan.FromHours(6))
                {
                    lastPrune = now;
                    await Safely("pruning old request counts", () => _countStore.DeleteBeforeAsync(now.AddDays(-_options.CountRetentionDays), stoppingToken));
                }

                await Task.Delay(_options.TickInterval, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync closes the windows and flushes.
        }

        await loads.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task LoadMonitorsAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (endpoint, target) in _monitors.Requested.ReadAllAsync(stoppingToken))
            {
                await Safely($"loading the monitor of {endpoint} {target}", () => _monitors.LoadAsync(endpoint, target, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task EvaluateAsync(VersionMonitor monitor, WindowSnapshot window, CancellationToken cancellationToken)
    {
        if (window.Rows == 0 || monitor.Detector is null)
        {
            return;
        }

        var report = monitor.Detector.Evaluate(window);
        await _reports.AppendAsync(monitor.Endpoint, monitor.Target, report, window, _options.ReportsKept, cancellationToken);
        monitor.Closed(report);
        LogWindow(_logger, monitor.Endpoint, monitor.Target, report.Rows, report.DriftedFeatures.Count, report.ColumnsJudged, string.Join(", ", report.DriftedFeatures));
        await _alerts.OnReportAsync(monitor.Endpoint, monitor.Target, report, cancellationToken);
    }

    private async Task StoreCapturedBaselineAsync(VersionMonitor monitor, BaselineCapture capture, CancellationToken cancellationToken)
    {
        var version = monitor.Model is null ? null : await _models.FindVersionAsync(monitor.Model, monitor.Version, cancellationToken);
        if (version is null || await _baselines.FindAsync(version.Model, version.Version, cancellationToken) is not null)
        {
            // Someone attached a baseline meanwhile (or the version is gone): theirs wins.
            await _monitors.ReloadAsync(monitor.Model ?? "", monitor.Version);
            return;
        }

        var profile = capture.Build();
        await _baselines.SetAsync(Principal.System, version, profile, BaselineSource.Predictions, cancellationToken);
        await _monitors.ReloadAsync(version.Model, version.Version);
        LogCaptured(_logger, monitor.Target, capture.Collected, monitor.Endpoint);
    }

    private async Task PublishHealthAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var endpoints = _metrics.Endpoints.ToHashSet(StringComparer.Ordinal);
        foreach (var stored in await _settings.ListAsync(cancellationToken))
        {
            endpoints.Add(stored.Endpoint);
        }

        endpoints.UnionWith((await _alertStore.ListRulesAsync(null, cancellationToken)).Select(r => r.Endpoint));
        endpoints.UnionWith(await _feedback.EndpointsAsync(now - GroundTruthMetricsSource.MetricsWindow, cancellationToken));

        var board = new List<EndpointHealth>(endpoints.Count);
        foreach (var endpoint in endpoints)
        {
            var settings = await _configuration.EffectiveAsync(endpoint, cancellationToken);
            var slo = settings.Slo.ToObjective();
            var period = await _counts.SinceAsync(endpoint, now - slo.Period, cancellationToken);
            var recent = _history.Over(_metrics, endpoint, TimeSpan.FromMinutes(5), now).Counts;
            var hour = _history.Over(_metrics, endpoint, TimeSpan.FromHours(1), now).Counts;
            board.Add(new EndpointHealth(endpoint, settings.Slo, period, slo.Availability(period), slo.ErrorBudgetRemaining(period),
                slo.BurnRate(recent), slo.BurnRate(hour), now));
        }

        _health.Publish(board);
        await _groundTruth.RefreshAsync(endpoints, cancellationToken);
    }

    private async Task ConfigureOtlpAsync(CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var stored in await _settings.ListAsync(cancellationToken))
        {
            if (stored.Settings.OtlpEndpoint is { } url)
            {
                wanted[stored.Endpoint] = url;
            }
        }

        _otlp.Configure(wanted);
    }

    private async Task Safely(string what, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            // One failing step (a locked database, a bad stored row) must not stop monitoring; the next tick retries.
            LogStepFailed(_logger, e, what);
        }
    }

    [LoggerMessage(EventId = 440, Level = LogLevel.Information, Message = "Drift window of {Endpoint} ({Target}): {Rows} rows, {Drifted} of {Judged} columns judged drifted {Features}")]
    private static partial void LogWindow(ILogger logger, string endpoint, string target, long rows, int drifted, int judged, string features);

    [LoggerMessage(EventId = 441, Level = LogLevel.Information, Message = "Baseline of {Target} built from its first {Rows} rows on {Endpoint}")]
    private static partial void LogCaptured(ILogger logger, string target, int rows, string endpoint);

    [LoggerMessage(EventId = 442, Level = LogLevel.Error, Message = "Monitoring failed while {What}; it retries on the next tick")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string what);
}
