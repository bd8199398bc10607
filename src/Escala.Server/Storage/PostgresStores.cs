using Escala.Core.Access;
using Escala.Core.Artifacts;
using Escala.Core.Audit;
using Escala.Core.Changes;
using Escala.Core.Departments;
using Escala.Core.Explanations;
using Escala.Core.Fairness;
using Escala.Core.Endpoints;
using Escala.Core.Monitoring.Accuracy;
using Escala.Core.Monitoring.Alerts;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Settings;
using Escala.Core.Monitoring.Status;
using Escala.Core.Outbound;
using Escala.Core.PredictionLog;
using Escala.Core.Privacy;
using Escala.Core.Registry;
using Escala.Core.Scheduling;
using Escala.Server.Cluster;
using Escala.Server.Scheduling;
using Escala.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Storage;

/// <summary>
/// The cluster backend: every store over one shared PostgreSQL database (migrated on open, once across
/// nodes), artifacts in it too, the scheduler lease as an advisory lock, and the change follower that
/// reloads this node's caches when another node changes shared state.
/// </summary>
public static class PostgresStores
{
    /// <summary>Registers every Core store interface with its PostgreSQL implementation for <paramref name="connectionString"/>.</summary>
    public static IServiceCollection AddPostgresStores(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(_ => PostgresDatabase.OpenAsync(connectionString).GetAwaiter().GetResult());
        services.AddSingleton<IArtifactStore, PostgresArtifactStore>();
        services.AddSingleton<IAuditAnchor, UnanchoredAudit>();

        services.AddSingleton<IDepartmentStore, PostgresDepartmentStore>();
        services.AddSingleton<IApiKeyStore, PostgresApiKeyStore>();
        services.AddSingleton<IModelStore, PostgresModelStore>();
        services.AddSingleton<IPromotionStore, PostgresPromotionStore>();
        services.AddSingleton<IModelGrantStore, PostgresModelGrantStore>();
        services.AddSingleton<IOutboundHostStore, PostgresOutboundHostStore>();
        services.AddSingleton<IDashboardSessionStore, PostgresDashboardSessionStore>();
        services.AddSingleton<IExplanationBackgroundStore, PostgresExplanationBackgroundStore>();
        services.AddSingleton<IFairnessReportStore, PostgresFairnessReportStore>();
        services.AddSingleton<IPrivacyStore, PostgresPrivacyStore>();
        services.AddSingleton<Escala.Core.Datasets.IDatasetStore, PostgresDatasetStore>();
        services.AddSingleton<Escala.Core.Pipelines.IPipelineStore, PostgresPipelineStore>();
        services.AddSingleton<Escala.Core.UseCases.IUseCaseStore, PostgresUseCaseStore>();
        services.AddSingleton<Escala.Core.Rollouts.IRolloutStore, PostgresRolloutStore>();
        services.AddSingleton<Escala.Core.Adoption.IUsageStore, PostgresUsageStore>();
        services.AddSingleton<Escala.Core.Satisfaction.ISatisfactionStore, PostgresSatisfactionStore>();
        services.AddSingleton<Escala.Core.Costs.ICostStore, PostgresCostStore>();
        services.AddSingleton<Escala.Core.Capacity.ICapacityStore, PostgresCapacityStore>();
        services.AddSingleton<Escala.Core.Adoption.IInstallationSecrets, PostgresInstallationSecrets>();
        services.AddSingleton<IAuditLog, PostgresAuditLog>();

        services.AddSingleton<IEndpointStore, PostgresEndpointStore>();
        services.AddSingleton<IPredictionLogStore, PostgresPredictionLogStore>();

        services.AddSingleton<IBaselineStore, PostgresBaselineStore>();
        services.AddSingleton<IMonitoringSettingsStore, PostgresMonitoringSettingsStore>();
        services.AddSingleton<IAlertStore, PostgresAlertStore>();
        services.AddSingleton<IDriftReportStore, PostgresDriftReportStore>();
        services.AddSingleton<IRequestCountStore, PostgresRequestCountStore>();
        services.AddSingleton<IFeedbackStore, PostgresFeedbackStore>();

        services.AddSingleton<PostgresSchedulerLease>();
        services.AddSingleton<ISchedulerLease>(sp => sp.GetRequiredService<PostgresSchedulerLease>());
        services.AddSingleton<IChangeFeed, PostgresChangeFeed>();
        services.AddSingleton<IChangeHandler, KeyRingChanges>();
        services.AddSingleton<IChangeHandler, EndpointChanges>();
        services.AddSingleton<IChangeHandler, MonitoringSettingsChanges>();
        services.AddSingleton<IChangeHandler, BaselineChanges>();
        services.AddSingleton<IChangeHandler, AlertRuleChanges>();
        services.AddScheduledJob<ChangeFollower>();
        // Before the foundation's and the gateway's start-up loads (hosted services start in registration order).
        services.AddHostedService<ChangeFollowerStart>();
        return services;
    }
}
