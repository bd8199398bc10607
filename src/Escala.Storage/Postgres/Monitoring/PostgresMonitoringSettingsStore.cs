using Escala.Core.Audit;
using Escala.Core.Changes;
using Escala.Core.Monitoring.Settings;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>Per-endpoint monitoring settings in <c>monitoring_settings</c> (JSON).</summary>
public sealed class PostgresMonitoringSettingsStore(PostgresDatabase database) : IMonitoringSettingsStore
{
    /// <inheritdoc/>
    public Task<StoredMonitoringSettings?> FindAsync(string endpoint, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            "SELECT endpoint, settings, updated_at, updated_by FROM monitoring_settings WHERE endpoint = @endpoint;", Read, ("@endpoint", endpoint)),
            cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredMonitoringSettings>> ListAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<StoredMonitoringSettings>>(async connection => await connection.ListAsync(
            "SELECT endpoint, settings, updated_at, updated_by FROM monitoring_settings ORDER BY endpoint;", Read), cancellationToken);

    /// <inheritdoc/>
    public Task SetAsync(StoredMonitoringSettings settings, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            await write.ExecuteAsync(
                "INSERT INTO monitoring_settings (endpoint, settings, updated_at, updated_by) VALUES (@endpoint, @settings, @at, @by) " +
                "ON CONFLICT (endpoint) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by;",
                ("@endpoint", settings.Endpoint), ("@settings", settings.Settings.ToJson()),
                ("@at", PostgresValues.Timestamp(settings.UpdatedAt)), ("@by", settings.UpdatedBy));
            await write.AppendAuditAsync(audit);
            await write.PublishChangeAsync(ChangeTopics.MonitoringSettings, settings.Endpoint);
        }, cancellationToken);

    private static StoredMonitoringSettings Read(NpgsqlDataReader r) =>
        new(r.GetString(0), MonitoringSettings.FromJson(r.GetString(1)), r.ReadTimestamp(2), r.GetString(3));
}
