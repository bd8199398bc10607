using Escala.Core.Audit;
using Escala.Core.Registry;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>Model grants in the <c>model_grants</c> table (PostgreSQL's <c>0005_access.sql</c>).</summary>
public sealed class PostgresModelGrantStore(PostgresDatabase database) : IModelGrantStore
{
    /// <inheritdoc/>
    public Task<bool> IsGrantedAsync(string model, string department, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async connection => await connection.FirstOrDefaultAsync(
            "SELECT model FROM model_grants WHERE model = @model AND department = @department;",
            r => r.GetString(0), ("@model", model), ("@department", department)) is not null, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ModelGrant>> ListAsync(string model, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<ModelGrant>>(async connection => await connection.ListAsync(
            "SELECT model, department, granted_at, granted_by FROM model_grants WHERE model = @model ORDER BY department;",
            Read, ("@model", model)), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> TryAddAsync(ModelGrant grant, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return database.WriteAsync(async write =>
        {
            var added = await write.ExecuteAsync(
                "INSERT INTO model_grants (model, department, granted_at, granted_by) VALUES (@model, @department, @at, @by) ON CONFLICT DO NOTHING;",
                ("@model", grant.Model), ("@department", grant.Department), ("@at", PostgresValues.Timestamp(grant.GrantedAt)), ("@by", grant.GrantedBy));
            if (added != 1)
            {
                return false;
            }

            await write.AppendAuditAsync(audit);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> TryRemoveAsync(string model, string department, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            var removed = await write.ExecuteAsync(
                "DELETE FROM model_grants WHERE model = @model AND department = @department;", ("@model", model), ("@department", department));
            if (removed != 1)
            {
                return false;
            }

            await write.AppendAuditAsync(audit);
            return true;
        }, cancellationToken);

    private static ModelGrant Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.ReadTimestamp(2), r.GetString(3));
}
