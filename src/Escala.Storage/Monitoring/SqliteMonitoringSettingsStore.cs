using Escala.Core.Audit;
using Escala.Core.Monitoring.Settings;
using Escala.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Escala.Storage.Monitoring;

/// <summary>Per-endpoint monitoring settings in <c>monitoring_settings</c> (JSON).</summary>
public sealed class SqliteMonitoringSettingsStore(SqliteDatabase database) : IMonitoringSettingsStore
{
    /// <inheritdoc/>
    public Task<StoredMonitoringSettings?> FindAsync(string endpoint, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            "SELECT endpoint, settings, updated_at, updated_by FROM monitoring_settings WHERE endpoint = $endpoint;", Read, ("$endpoint", endpoint)),
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
                "INSERT INTO monitoring_settings (endpoint, settings, updated_at, updated_by) VALUES ($endpoint, $settings, $at, $by) " +
                "ON CONFLICT (endpoint) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by;",
                ("$endpoint", settings.Endpoint), ("$settings", settings.Settings.ToJson()),
                ("$at", SqliteValues.Timestamp(settings.UpdatedAt)), ("$by", settings.UpdatedBy));
            await write.AppendAuditAsync(audit);
        }, cancellationToken);

    private static StoredMonitoringSettings Read(SqliteDataReader r) =>
        new(r.GetString(0), MonitoringSettings.FromJson(r.GetString(1)), r.ReadTimestamp(2), r.GetString(3));
}
