using System.Diagnostics.Metrics;
using Escala.Server.Monitoring.Alerts;
using Escala.Server.Monitoring.Live;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Escala.Server.Monitoring.Metrics;

/// <summary>
/// Pushes endpoints' metrics to OpenTelemetry collectors over OTLP/HTTP (protobuf) when their settings name one
/// (<c>otlpEndpoint</c>). Each collector URL gets its own <see cref="Meter"/> of observable instruments, read from the
/// live counters at export time (nothing is added to the request path), and its own <see cref="MeterProvider"/>
/// with a periodic OTLP exporter, so each endpoint's metrics go only where its settings say.
/// </summary>
public sealed partial class OtlpExport(LiveMetrics metrics, MonitorDirectory monitors, HealthBoard health, AlertEngine alerts, IOptions<MonitoringOptions> options, ILogger<OtlpExport> logger) : IDisposable
{
    /// <summary>The name prefix of the meters this creates.</summary>
    public const string MeterPrefix = "Escala.Monitoring.Otlp";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Exporter> _exporters = new(StringComparer.Ordinal);
    private int _sequence;

    /// <summary>Collector URLs in use, with the endpoints sent to each.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Targets
    {
        get
        {
            lock (_gate)
            {
                return _exporters.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value.Endpoints, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Applies the endpoints' OTLP settings (endpoint name to collector URL): starts, re-targets or stops exporters.</summary>
    public void Configure(IReadOnlyDictionary<string, string> collectorByEndpoint)
    {
        ArgumentNullException.ThrowIfNull(collectorByEndpoint);
        var wanted = collectorByEndpoint.GroupBy(p => p.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Key).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var url in _exporters.Keys.Where(u => !wanted.ContainsKey(u)).ToList())
            {
                _exporters[url].Dispose();
                _exporters.Remove(url);
                LogStopped(logger, url);
            }

            foreach (var (url, endpoints) in wanted)
            {
                if (_exporters.TryGetValue(url, out var existing))
                {
                    existing.Endpoints = endpoints;
                    continue;
                }

                _exporters[url] = Start(url, endpoints);
                LogStarted(logger, url, string.Join(", ", endpoints));
            }
        }
    }

    /// <summary>Exports now to every collector (tests, shutdown); true when every export succeeded.</summary>
    public bool Flush(int timeoutMilliseconds = 5000)
    {
        lock (_gate)
        {
            return _exporters.Values.All(e => e.Provider.ForceFlush(timeoutMilliseconds));
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var exporter in _exporters.Values)
            {
                exporter.Dispose();
            }

            _exporters.Clear();
        }
    }

    /// <summary>The OTLP/HTTP metrics URL of a collector base URL (<c>/v1/metrics</c> appended when it has no path).</summary>
    public static Uri MetricsUri(string collector)
    {
        var uri = new Uri(collector, UriKind.Absolute);
        return uri.AbsolutePath is "" or "/" ? new Uri(uri, "/v1/metrics") : uri;
    }

    private Exporter Start(string url, HashSet<string> endpoints)
    {
        var meter = new Meter($"{MeterPrefix}.{Interlocked.Increment(ref _sequence)}", "1.0");
        var exporter = new Exporter(meter, endpoints);
        bool Included(string endpoint) => exporter.Endpoints.Contains(endpoint);

        meter.CreateObservableCounter("escala.requests", () => Series(Included, s => s.Counters.Read().Requests), "{request}", "Requests answered or failed.");
        meter.CreateObservableCounter("escala.request.errors", () => Series(Included, s => s.Counters.Read().Errors), "{request}", "Requests that failed.");
        meter.CreateObservableCounter("escala.request.fallbacks", () => Series(Included, s => s.Counters.Read().Fallbacks), "{request}", "Requests answered by a fallback.");
        meter.CreateObservableCounter("escala.request.rejections", () => Series(Included, s => s.Counters.Read().Rejected), "{request}", "Requests refused (invalid input or data quality).");
        meter.CreateObservableGauge("escala.request.duration.p50", () => Quantile(Included, 0.5), "ms", "Median latency since the process started.");
        meter.CreateObservableGauge("escala.request.duration.p99", () => Quantile(Included, 0.99), "ms", "99th percentile latency since the process started.");
        meter.CreateObservableGauge("escala.slo.availability", () => health.All.Values.Where(h => Included(h.Endpoint))
            .Select(h => new Measurement<double>(h.Availability, new KeyValuePair<string, object?>("endpoint", h.Endpoint))), "1", "Availability over the SLO period.");
        meter.CreateObservableGauge("escala.drift.share", () => monitors.All.Where(m => Included(m.Endpoint) && m.LatestReport is not null)
            .Select(m => new Measurement<double>(m.LatestReport!.DriftedShare, new("endpoint", m.Endpoint), new("version", m.Target))), "1", "Share of features drifted in the latest window.");
        meter.CreateObservableGauge("escala.alerts.firing", () => alerts.Firing.Where(a => Included(a.Rule.Endpoint))
            .GroupBy(a => a.Rule.Endpoint).Select(g => new Measurement<long>(g.Count(), new KeyValuePair<string, object?>("endpoint", g.Key))), "{alert}", "Alerts firing.");

        exporter.Provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource.AddService("escala"))
            .AddMeter(meter.Name)
            .AddOtlpExporter((otlp, reader) =>
            {
                otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
                otlp.Endpoint = MetricsUri(url);
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)Math.Max(100, options.Value.OtlpExportInterval.TotalMilliseconds);
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
            })
            .Build();
        return exporter;
    }

    private IEnumerable<Measurement<long>> Series(Func<string, bool> included, Func<ServingSeries, long> value) =>
        metrics.All.Where(s => included(s.Endpoint)).Select(s => new Measurement<long>(value(s),
            new("endpoint", s.Endpoint), new("version", s.Target), new("department", s.Department ?? "")));

    private IEnumerable<Measurement<double>> Quantile(Func<string, bool> included, double q) =>
        metrics.All.Where(s => included(s.Endpoint)).Select(s => (Series: s, Snapshot: s.Latency.Snapshot())).Where(p => p.Snapshot.Count > 0)
            .Select(p => new Measurement<double>(p.Snapshot.Quantile(q) / 1000.0,
                new("endpoint", p.Series.Endpoint), new("version", p.Series.Target), new("department", p.Series.Department ?? "")));

    [LoggerMessage(EventId = 430, Level = LogLevel.Information, Message = "OTLP export to {Url} started for {Endpoints}")]
    private static partial void LogStarted(ILogger logger, string url, string endpoints);

    [LoggerMessage(EventId = 431, Level = LogLevel.Information, Message = "OTLP export to {Url} stopped")]
    private static partial void LogStopped(ILogger logger, string url);

    private sealed class Exporter(Meter meter, HashSet<string> endpoints) : IDisposable
    {
        private volatile HashSet<string> _endpoints = endpoints;

        public HashSet<string> Endpoints
        {
            get => _endpoints;
            set => _endpoints = value;
        }

        public MeterProvider Provider { get; set; } = null!;

        public void Dispose()
        {
            Provider.Dispose();
            meter.Dispose();
        }
    }
}
