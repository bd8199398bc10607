using Escala.Core.Endpoints;
using Escala.Server.Endpoints;
using Escala.Server.PredictionLog;
using Escala.Server.Predictions;
using Escala.Server.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Serving;

/// <summary>
/// The gateway's services: endpoint storage and rules, the serving runtime (backends, snapshots,
/// executor, shadow mirror), the prediction log and the background workers. Options bind from the
/// <c>Gateway</c>, <c>Gateway:CircuitBreaker</c> and <c>PredictionLog</c> configuration sections.
/// </summary>
public static class GatewayServices
{
    /// <summary>Registers the gateway; call after the foundation (it needs the registry, keys and database).</summary>
    public static IServiceCollection AddGateway(this IServiceCollection services)
    {
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section);
        services.AddOptions<BreakerOptions>().BindConfiguration(BreakerOptions.Section);
        services.AddOptions<PredictionLogOptions>().BindConfiguration(PredictionLogOptions.Section);

        services.AddSingleton<EndpointCatalog>();
        services.AddSingleton<Core.Audit.ISecurityState, EndpointRoutes>();

        services.AddHttpClient();
        services.AddSingleton<ExternalBackends>();
        services.AddSingleton<ServingBackends>();
        services.AddSingleton<SnapshotBuilder>();
        services.AddSingleton<LiveEndpoints>();
        services.AddSingleton<PredictionExecutor>();
        services.AddSingleton<PredictionRecorder>();
        services.AddSingleton<PredictionFlow>();
        services.AddSingleton<EndpointOperations>();

        // Hosted services stop in reverse order: the scheduler (added last, by AddScheduling) first, then
        // shadows (which write to the log), then the log writer, which drains last so nothing is lost.
        services.AddSingleton<GatewayStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayStartup>());
        services.AddSingleton<PredictionLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<PredictionLogWriter>());
        services.AddSingleton<ShadowMirror>();
        services.AddHostedService(sp => sp.GetRequiredService<ShadowMirror>());
        services.AddScheduledJob<PredictionLogRetention>();
        services.AddScheduledJob<CanaryAdvancer>();
        services.AddScheduledJob<ServingRecovery>();
        return services;
    }
}
