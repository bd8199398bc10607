using Escala.Core.Artifacts;
using Escala.Storage.Access;
using Escala.Storage.Artifacts;
using Escala.Storage.Audit;
using Escala.Storage.Departments;
using Escala.Storage.Endpoints;
using Escala.Storage.Monitoring;
using Escala.Storage.PredictionLog;
using Escala.Storage.Registry;
using Escala.Storage.Sqlite;

namespace Escala.Storage.Tests.Support;

/// <summary>A data folder in a temp directory; each node opens the database file on its own, as another process would.</summary>
public sealed class SqliteBackend : StoreBackend
{
    private readonly List<SqliteDatabase> _opened = [];
    private readonly DataFolder _folder = DataFolder.Create(Path.Combine(Path.GetTempPath(), "escala-tests", Guid.NewGuid().ToString("N")));

    public override Task<StoreSet> OpenNodeAsync(TimeProvider clock)
    {
        var database = SqliteDatabase.Open(_folder.DatabasePath);
        lock (_opened)
        {
            _opened.Add(database);
        }

        return Task.FromResult(new StoreSet(
            new SqliteDepartmentStore(database), new SqliteApiKeyStore(database), new SqliteModelStore(database), new SqlitePromotionStore(database),
            new SqliteAuditLog(database), new FileArtifactStore(_folder.ArtifactsPath), new SqliteEndpointStore(database), new SqlitePredictionLogStore(database),
            new SqliteBaselineStore(database), new SqliteMonitoringSettingsStore(database), new SqliteAlertStore(database), new SqliteDriftReportStore(database),
            new SqliteRequestCountStore(database), new SqliteFeedbackStore(database), new SqliteModelGrantStore(database),
            new Escala.Storage.Outbound.SqliteOutboundHostStore(database), clock));
    }

    public override async Task CorruptArtifactAsync(ArtifactId id)
    {
        var path = new FileArtifactStore(_folder.ArtifactsPath).PathOf(id);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[0] ^= 0xFF;
        await File.WriteAllBytesAsync(path, bytes);
    }

    public override Task LoseArtifactAsync(ArtifactId id)
    {
        File.Delete(new FileArtifactStore(_folder.ArtifactsPath).PathOf(id));
        return Task.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        foreach (var database in _opened)
        {
            database.Dispose();
        }

        try
        {
            Directory.Delete(_folder.Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is not a test failure.
        }

        return ValueTask.CompletedTask;
    }
}
