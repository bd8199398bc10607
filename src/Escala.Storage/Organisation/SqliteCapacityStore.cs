using Escala.Core.Audit;
using Escala.Core.Capacity;
using Escala.Storage.Sqlite;

namespace Escala.Storage.Organisation;

/// <summary>Capacity tests in <c>capacity_tests</c>, kept with the version they measured.</summary>
public sealed class SqliteCapacityStore(SqliteDatabase database) : ICapacityStore
{
    /// <inheritdoc/>
    public Task AddAsync(CapacityResult result, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            await write.ExecuteAsync(
                "INSERT INTO capacity_tests (endpoint, target, result, measured_at) VALUES ($endpoint, $target, $result, $at);",
                ("$endpoint", result.Endpoint), ("$target", result.Target), ("$result", SqliteValues.Json(result)), ("$at", SqliteValues.Timestamp(result.MeasuredAt)));
            await write.AppendAuditAsync(audit);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<CapacityResult?> LatestAsync(string target, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            "SELECT result FROM capacity_tests WHERE target = $target ORDER BY id DESC LIMIT 1;", r => r.ReadJson<CapacityResult>(0), ("$target", target)), cancellationToken);
}
