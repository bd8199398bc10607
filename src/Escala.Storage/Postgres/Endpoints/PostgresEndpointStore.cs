using Escala.Core.Audit;
using Escala.Core.Changes;
using Escala.Core.Endpoints;
using Escala.Core.Routing;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>Endpoints in PostgreSQL; every change publishes an <c>endpoint</c> revision so every node rebuilds its snapshot.</summary>
public sealed class PostgresEndpointStore(PostgresDatabase database) : IEndpointStore
{
    private const string Columns = "name, department, description, routing, settings, generation, created_at, created_by, updated_at";

    /// <inheritdoc/>
    public Task<Endpoint?> FindAsync(string name, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            $"SELECT {Columns} FROM endpoints WHERE name = @name;", Read, ("@name", name)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Endpoint>> ListAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<Endpoint>>(async connection =>
            await connection.ListAsync($"SELECT {Columns} FROM endpoints ORDER BY name;", Read), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> TryAddAsync(Endpoint endpoint, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            var exists = await write.ScalarAsync<long>("SELECT count(*) FROM endpoints WHERE name = @name;", ("@name", endpoint.Name));
            if (exists > 0)
            {
                return false;
            }

            await write.ExecuteAsync(
                $"INSERT INTO endpoints ({Columns}) VALUES (@name, @department, @description, @routing, @settings, @generation, @created, @createdBy, @updated);",
                Parameters(endpoint));
            await write.AppendAuditAsync(audit);
            await write.PublishChangeAsync(ChangeTopics.Endpoint, endpoint.Name);
            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> TryUpdateAsync(Endpoint endpoint, long expectedGeneration, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(write => TryUpdateAsync(write, endpoint, expectedGeneration, audit), cancellationToken);

    /// <summary>The guarded update inside <paramref name="write"/>'s transaction, for stores that change an endpoint with other state (a rollout wave).</summary>
    internal static async Task<bool> TryUpdateAsync(PostgresWrite write, Endpoint endpoint, long expectedGeneration, AuditEntry audit)
    {
        var changed = await write.ExecuteAsync(
            "UPDATE endpoints SET description = @description, routing = @routing, settings = @settings, generation = @generation, updated_at = @updated " +
            "WHERE name = @name AND generation = @expected;",
            [.. Parameters(endpoint), ("@expected", expectedGeneration)]);
        if (changed != 1)
        {
            return false;
        }

        await write.AppendAuditAsync(audit);
        await write.PublishChangeAsync(ChangeTopics.Endpoint, endpoint.Name);
        return true;
    }

    private static (string, object?)[] Parameters(Endpoint e) =>
    [
        ("@name", e.Name), ("@department", e.Department), ("@description", e.Description),
        ("@routing", PostgresValues.Json(e.Routing)), ("@settings", PostgresValues.Json(e.Settings)), ("@generation", e.Generation),
        ("@created", PostgresValues.Timestamp(e.CreatedAt)), ("@createdBy", e.CreatedBy), ("@updated", PostgresValues.Timestamp(e.UpdatedAt)),
    ];

    private static Endpoint Read(NpgsqlDataReader r) => new(
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
