using Escala.Core.Access;
using Escala.Core.Artifacts;
using Escala.Core.Audit;
using Escala.Core.Departments;
using Escala.Core.Endpoints;
using Escala.Core.Monitoring.Accuracy;
using Escala.Core.Monitoring.Alerts;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Settings;
using Escala.Core.Monitoring.Status;
using Escala.Core.PredictionLog;
using Escala.Core.Outbound;
using Escala.Core.Registry;

namespace Escala.Storage.Tests.Support;

/// <summary>
/// A fresh database of one backend for one test. <see cref="OpenNodeAsync"/> opens a set of stores over it
/// as a separate node would (its own SQLite handle or PostgreSQL pool), so tests can race two nodes.
/// </summary>
public abstract class StoreBackend : IAsyncDisposable
{
    /// <summary>The stores of one more node on this database.</summary>
    public abstract Task<StoreSet> OpenNodeAsync(TimeProvider clock);

    /// <summary>Changes the stored bytes of an artifact behind the store's back (a disk or row gone bad).</summary>
    public abstract Task CorruptArtifactAsync(ArtifactId id);

    /// <summary>Removes the stored bytes of an artifact behind the store's back.</summary>
    public abstract Task LoseArtifactAsync(ArtifactId id);

    /// <inheritdoc/>
    public abstract ValueTask DisposeAsync();
}

/// <summary>Every store interface of one node, and Core's rules over them.</summary>
public sealed record StoreSet(
    IDepartmentStore Departments,
    IApiKeyStore Keys,
    IModelStore Models,
    IPromotionStore PromotionStore,
    IAuditLog Audit,
    IArtifactStore Artifacts,
    IEndpointStore Endpoints,
    IPredictionLogStore PredictionLog,
    IBaselineStore Baselines,
    IMonitoringSettingsStore MonitoringSettings,
    IAlertStore Alerts,
    IDriftReportStore DriftReports,
    IRequestCountStore RequestCounts,
    IFeedbackStore Feedback,
    IModelGrantStore Grants,
    IOutboundHostStore OutboundHosts,
    TimeProvider Clock)
{
    public DepartmentDirectory Org => new(Departments, Clock);

    public ApiKeyIssuer Issuer => new(Keys, Departments, Clock);

    public ModelRegistry Registry => new(Models, Artifacts, new AcceptingInspector(), Departments, Clock);

    public Promotions Promotions => new(Models, PromotionStore, Clock);

    public ModelGrants ModelGrants => new(Models, Grants, Departments, Clock);
}
