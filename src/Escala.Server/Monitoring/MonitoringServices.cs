using Escala.Core.Monitoring.Alerts;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Settings;
using Escala.Server.Monitoring.Alerts;
using Escala.Server.Monitoring.Baselines;
using Escala.Server.Monitoring.Drift;
using Escala.Server.Monitoring.GroundTruth;
using Escala.Server.Monitoring.Live;
using Escala.Server.Monitoring.Metrics;
using Escala.Server.Monitoring.Settings;
using Escala.Server.Monitoring.Status;
using Escala.Server.Serving;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Escala.Server.Monitoring;

/// <summary>
/// Monitoring's services and routes: the stores (baselines, settings, alerts, drift windows, hourly counts), Core's
/// rules, the live state the request path updates (counters, version monitors), alert evaluation and webhook delivery,
/// <c>/metrics</c> and OTLP export, reports, the status page and the background worker. Options bind from the
/// <c>Monitoring</c> configuration section.
/// </summary>
public static class MonitoringServices
{
    /// <summary>Registers monitoring; call after the foundation and the gateway (it observes the gateway's requests and reads its endpoints and prediction log).</summary>
    public static IServiceCollection AddMonitoring(this IServiceCollection services)
    {
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section);
        services.AddHttpClient(WebhookDelivery.ClientName);

        services.AddSingleton<IMonitoredEndpoints, GatewayEndpoints>();
        services.AddSingleton<IPredictionLookup, PredictionLogLookup>();

        services.AddSingleton<MonitoringConfiguration>();
        services.AddSingleton<VersionBaselines>();
        services.AddSingleton<AlertRules>();

        services.AddSingleton<LiveMetrics>();
        services.AddSingleton<MonitorDirectory>();
        services.AddSingleton<PredictionMonitor>();
        services.AddSingleton<MonitoringObserver>();
        services.AddSingleton<IPredictionObserver>(sp => sp.GetRequiredService<MonitoringObserver>());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MonitoringOptions>>().Value;
            return new CounterHistory(options.SampleInterval, options.HistoryLength);
        });
        services.AddSingleton<DurableCounts>();
        services.AddSingleton<HealthBoard>();

        services.AddSingleton<GroundTruthMetricsSource>();
        services.AddSingleton<IGroundTruthSource>(sp => sp.GetRequiredService<GroundTruthMetricsSource>());
        services.AddSingleton<IMetricsSource>(sp => sp.GetRequiredService<GroundTruthMetricsSource>());
        services.AddSingleton<IMetricsSource, ShadowMetrics>();
        services.AddSingleton<FeedbackService>();
        services.AddSingleton<AlertEngine>();
        services.AddSingleton<MeterCollector>();
        services.AddSingleton<OtlpExport>();
        services.AddSingleton<MetricsExposition>();
        services.AddSingleton<DriftReports>();
        services.AddSingleton<StatusReports>();

        // Hosted services stop in reverse order: the worker first (it closes the open windows, which may fire
        // alerts), then webhook delivery, which gives deliveries in flight a moment to finish.
        services.AddSingleton<WebhookDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDelivery>());
        services.AddSingleton<MonitoringWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<MonitoringWorker>());
        return services;
    }

    /// <summary>Maps monitoring's routes.</summary>
    public static IEndpointRouteBuilder MapMonitoring(this IEndpointRouteBuilder app)
    {
        app.MapMetrics();
        app.MapBaselines();
        app.MapMonitoringSettings();
        app.MapAlerts();
        app.MapDrift();
        app.MapStatus();
        app.MapAccuracy();
        app.MapFeedback();
        return app;
    }
}
