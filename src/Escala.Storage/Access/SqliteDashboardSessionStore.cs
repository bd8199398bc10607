using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Escala.Storage.Access;

/// <summary>Dashboard sessions (hashed tokens) in <c>dashboard_sessions</c>.</summary>
public sealed class SqliteDashboardSessionStore(SqliteDatabase database) : IDashboardSessionStore
{
    private const string Select = "SELECT id, token_hash, key_id, created_at, expires_at, ended_at FROM dashboard_sessions";

    /// <inheritdoc/>
    public Task AddAsync(DashboardSession session, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            await write.ExecuteAsync(
                "INSERT INTO dashboard_sessions (id, token_hash, key_id, created_at, expires_at, ended_at) VALUES ($id, $hash, $key, $created, $expires, $ended);",
                ("$id", session.Id), ("$hash", session.TokenHash), ("$key", session.KeyId), ("$created", SqliteValues.Timestamp(session.CreatedAt)),
                ("$expires", SqliteValues.Timestamp(session.ExpiresAt)), ("$ended", SqliteValues.Timestamp(session.EndedAt)));
            await write.AppendAuditAsync(audit);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<DashboardSession?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync($"{Select} WHERE id = $id;", Read, ("$id", id)), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> EndAsync(string id, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            var changed = await write.ExecuteAsync(
                "UPDATE dashboard_sessions SET ended_at = $at WHERE id = $id AND ended_at IS NULL;", ("$id", id), ("$at", SqliteValues.Timestamp(at)));
            if (changed == 0)
            {
                return false;
            }

            await write.AppendAuditAsync(audit);
            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<int> DeleteFinishedAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        database.WriteAsync(write => write.ExecuteAsync(
            "DELETE FROM dashboard_sessions WHERE expires_at < $before OR ended_at < $before;", ("$before", SqliteValues.Timestamp(before))), cancellationToken);

    private static DashboardSession Read(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.ReadTimestamp(3), r.ReadTimestamp(4), r.ReadTimestampOrNull(5));
}
