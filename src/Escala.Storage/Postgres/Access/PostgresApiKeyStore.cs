using System.Collections.Immutable;
using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Changes;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>API keys (hashed) in PostgreSQL; every change publishes a <c>keys</c> revision so every node's key ring reloads.</summary>
public sealed class PostgresApiKeyStore(PostgresDatabase database) : IApiKeyStore
{
    private const string Select =
        "SELECT k.id, k.name, k.role, k.secret_hash, k.created_at, k.created_by, k.revoked_at, " +
        "(SELECT string_agg(d.department, ',') FROM api_key_departments d WHERE d.key_id = k.id) FROM api_keys k";

    /// <inheritdoc/>
    public Task<ApiKey?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync($"{Select} WHERE k.id = @id;", Read, ("@id", id)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<ApiKey>>(async connection =>
            await connection.ListAsync($"{Select} ORDER BY k.created_at, k.id;", Read), cancellationToken);

    /// <inheritdoc/>
    public Task AddAsync(ApiKey key, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(write => InsertAsync(write, key, audit), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> TryAddFirstAsync(ApiKey key, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            if (await write.ScalarAsync<long>("SELECT count(*) FROM api_keys;") > 0)
            {
                return false;
            }

            await InsertAsync(write, key, audit);
            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> RevokeAsync(string id, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            var changed = await write.ExecuteAsync(
                "UPDATE api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL;",
                ("@id", id), ("@at", PostgresValues.Timestamp(at)));
            if (changed == 0)
            {
                return false;
            }

            await write.AppendAuditAsync(audit);
            await write.PublishChangeAsync(ChangeTopics.Keys, id);
            return true;
        }, cancellationToken);

    private static async Task InsertAsync(PostgresWrite write, ApiKey key, AuditEntry audit)
    {
        await write.ExecuteAsync(
            "INSERT INTO api_keys (id, name, role, secret_hash, created_at, created_by, revoked_at) VALUES (@id, @name, @role, @hash, @created, @by, @revoked);",
            ("@id", key.Id), ("@name", key.Name), ("@role", key.Role.ToName()), ("@hash", key.SecretHash),
            ("@created", PostgresValues.Timestamp(key.CreatedAt)), ("@by", key.CreatedBy), ("@revoked", PostgresValues.Timestamp(key.RevokedAt)));
        foreach (var department in key.Departments.IsDefault ? [] : key.Departments)
        {
            await write.ExecuteAsync(
                "INSERT INTO api_key_departments (key_id, department) VALUES (@id, @department);",
                ("@id", key.Id), ("@department", department));
        }

        await write.AppendAuditAsync(audit);
        await write.PublishChangeAsync(ChangeTopics.Keys, key.Id);
    }

    private static ApiKey Read(NpgsqlDataReader r)
    {
        var departments = r.ReadStringOrNull(7) is { } list
            ? list.Split(',').Order(StringComparer.Ordinal).ToImmutableArray()
            : [];
        return new ApiKey(
            r.GetString(0), r.GetString(1), RoleNames.Parse(r.GetString(2)), departments, r.GetString(3),
            r.ReadTimestamp(4), r.GetString(5), r.ReadTimestampOrNull(6));
    }
}
