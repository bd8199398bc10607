using Escala.Core.Access;
using Escala.Core.Artifacts;
using Escala.Core.Audit;
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
using Escala.Storage;
using Escala.Storage.Access;
using Escala.Storage.Artifacts;
using Escala.Storage.Audit;
using Escala.Storage.Departments;
using Escala.Storage.Endpoints;
using Escala.Storage.Monitoring;
using Escala.Storage.PredictionLog;
using Escala.Storage.Registry;
using Escala.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Storage;

/// <summary>The one-node backend: every store over the SQLite database of the data folder, artifacts as files beside it.</summary>
public static class SqliteStores
{
    /// <summary>Registers every Core store interface with its SQLite implementation (the data folder must be registered).</summary>
    public static IServiceCollection AddSqliteStores(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            // The key that signs the audit anchor may live outside the data folder (Audit:AnchorKeyPath), so a copy of
            // the folder alone cannot forge a checkpoint.
            var folder = sp.GetRequiredService<DataFolder>();
            var keyPath = sp.GetRequiredService<IConfiguration>()["Audit:AnchorKeyPath"];
            return new FileAuditAnchor(folder.AuditAnchorPath, string.IsNullOrWhiteSpace(keyPath) ? folder.AuditAnchorKeyPath : keyPath, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<IAuditAnchor>(sp => sp.GetRequiredService<FileAuditAnchor>());
        services.AddSingleton(sp =>
        {
            var database = SqliteDatabase.Open(sp.GetRequiredService<DataFolder>().DatabasePath);
            database.Anchor = sp.GetRequiredService<IAuditAnchor>();
            return database;
        });
        services.AddSingleton<IArtifactStore>(sp => new FileArtifactStore(sp.GetRequiredService<DataFolder>().ArtifactsPath));

        services.AddSingleton<IDepartmentStore, SqliteDepartmentStore>();
        services.AddSingleton<IApiKeyStore, SqliteApiKeyStore>();
        services.AddSingleton<IModelStore, SqliteModelStore>();
        services.AddSingleton<IPromotionStore, SqlitePromotionStore>();
        services.AddSingleton<IModelGrantStore, SqliteModelGrantStore>();
        services.AddSingleton<IOutboundHostStore, Escala.Storage.Outbound.SqliteOutboundHostStore>();
        services.AddSingleton<IDashboardSessionStore, SqliteDashboardSessionStore>();
        services.AddSingleton<IExplanationBackgroundStore, Escala.Storage.Explanations.SqliteExplanationBackgroundStore>();
        services.AddSingleton<IFairnessReportStore, Escala.Storage.Fairness.SqliteFairnessReportStore>();
        services.AddSingleton<IPrivacyStore, Escala.Storage.Privacy.SqlitePrivacyStore>();
        services.AddSingleton<Escala.Core.Datasets.IDatasetStore, Escala.Storage.Training.SqliteDatasetStore>();
        services.AddSingleton<Escala.Core.Pipelines.IPipelineStore, Escala.Storage.Training.SqlitePipelineStore>();
        services.AddSingleton<Escala.Core.UseCases.IUseCaseStore, Escala.Storage.Organisation.SqliteUseCaseStore>();
        services.AddSingleton<Escala.Core.Rollouts.IRolloutStore, Escala.Storage.Organisation.SqliteRolloutStore>();
        services.AddSingleton<Escala.Core.Adoption.IUsageStore, Escala.Storage.Organisation.SqliteUsageStore>();
        services.AddSingleton<Escala.Core.Satisfaction.ISatisfactionStore, Escala.Storage.Organisation.SqliteSatisfactionStore>();
        services.AddSingleton<Escala.Core.Costs.ICostStore, Escala.Storage.Organisation.SqliteCostStore>();
        services.AddSingleton<Escala.Core.Capacity.ICapacityStore, Escala.Storage.Organisation.SqliteCapacityStore>();
        services.AddSingleton<Escala.Core.Adoption.IInstallationSecrets, Escala.Storage.Organisation.SqliteInstallationSecrets>();
        services.AddSingleton<IAuditLog, SqliteAuditLog>();

        services.AddSingleton<IEndpointStore, SqliteEndpointStore>();
        services.AddSingleton<IPredictionLogStore, SqlitePredictionLogStore>();

        services.AddSingleton<IBaselineStore, SqliteBaselineStore>();
        services.AddSingleton<IMonitoringSettingsStore, SqliteMonitoringSettingsStore>();
        services.AddSingleton<IAlertStore, SqliteAlertStore>();
        services.AddSingleton<IDriftReportStore, SqliteDriftReportStore>();
        services.AddSingleton<IRequestCountStore, SqliteRequestCountStore>();
        services.AddSingleton<IFeedbackStore, SqliteFeedbackStore>();
        return services;
    }
}
