using Escala.Core.Audit;
using Escala.Core.Endpoints;
using Escala.Core.Routing;
using Escala.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Escala.Storage.Endpoints;

/// <summary>Endpoints in the <c>endpoints</c> table; the routing table and settings are JSON documents.</summary>
public sealed class SqliteEndpointStore(SqliteDatabase database) : IEndpointStore
{
    private const string Columns = "name, department, description, routing, settings, generation, created_at, created_by, updated_at";

    /// <inheritdoc/>
    public Task<Endpoint?> FindAsync(string name, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            $"SELECT {Columns} FROM endpoints WHERE name = $name;", Read, ("$name", name)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Endpoint>> ListAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<Endpoint>>(async connection =>
            await connection.ListAsync($"SELECT {Columns} FROM endpoints ORDER BY name;", Read), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> TryAddAsync(Endpoint endpoint, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            var exists = await write.ScalarAsync<long>("SELECT count(*) FROM endpoints WHERE name = $name;", ("$name", endpoint.Name));
            if (exists > 0)
            {
                return false;
            }

            await write.ExecuteAsync(
                $"INSERT INTO endpoints ({Columns}) VALUES ($name, $department, $description, $routing, $settings, $generation, $created, $createdBy, $updated);",
                Parameters(endpoint));
            await write.AppendAuditAsync(audit);
            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> TryUpdateAsync(Endpoint endpoint, long expectedGeneration, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(write => TryUpdateAsync(write, endpoint, expectedGeneration, audit), cancellationToken);

    /// <summary>The guarded update inside a caller's transaction, so a change spanning endpoints and other state (a rollout wave) commits as one.</summary>
    internal static async Task<bool> TryUpdateAsync(SqliteWrite write, Endpoint endpoint, long expectedGeneration, AuditEntry audit)
    {
        var changed = await write.ExecuteAsync(
            "UPDATE endpoints SET description = $description, routing = $routing, settings = $settings, generation = $generation, updated_at = $updated " +
            "WHERE name = $name AND generation = $expected;",
            [.. Parameters(endpoint), ("$expected", expectedGeneration)]);
        if (changed != 1)
        {
            return false;
        }

        await write.AppendAuditAsync(audit);
        return true;
    }

    private static (string, object?)[] Parameters(Endpoint e) =>
    [
        ("$name", e.Name), ("$department", e.Department), ("$description", e.Description),
        ("$routing", SqliteValues.Json(e.Routing)), ("$settings", SqliteValues.Json(e.Settings)), ("$generation", e.Generation),
        ("$created", SqliteValues.Timestamp(e.CreatedAt)), ("$createdBy", e.CreatedBy), ("$updated", SqliteValues.Timestamp(e.UpdatedAt)),
    ];

    private static Endpoint Read(SqliteDataReader r) => new(
        r.GetString(0),
        r.ReadStringOrNull(1),
        r.ReadStringOrNull(2),
        r.ReadJson<RoutingTable>(3),
        r.ReadJson<EndpointSettings>(4),
        r.GetInt64(5),
        r.ReadTimestamp(6),
        r.GetString(7),
        r.ReadTimestamp(8));
}
