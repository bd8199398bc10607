using Escala.Core.Audit;
using Escala.Core.Outbound;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>The outbound allow list in the <c>outbound_hosts</c> table (PostgreSQL's <c>0005_access.sql</c>).</summary>
public sealed class PostgresOutboundHostStore(PostgresDatabase database) : IOutboundHostStore
{
    private const string Columns = "host, purpose, added_at, added_by";

    /// <inheritdoc/>
    public Task<IReadOnlyList<OutboundHost>> ListAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<OutboundHost>>(async connection =>
            await connection.ListAsync($"SELECT {Columns} FROM outbound_hosts ORDER BY host;", Read), cancellationToken);

    /// <inheritdoc/>
    public Task<OutboundHost?> FindAsync(string host, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            $"SELECT {Columns} FROM outbound_hosts WHERE host = @host;", Read, ("@host", host)), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> TryAddAsync(OutboundHost host, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        return database.WriteAsync(async write =>
        {
            var added = await write.ExecuteAsync(
                $"INSERT INTO outbound_hosts ({Columns}) VALUES (@host, @purpose, @at, @by) ON CONFLICT DO NOTHING;",
                ("@host", host.Host), ("@purpose", host.Purpose), ("@at", PostgresValues.Timestamp(host.AddedAt)), ("@by", host.AddedBy));
            if (added != 1)
            {
                return false;
            }

            await write.AppendAuditAsync(audit);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> TryRemoveAsync(string host, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            if (await write.ExecuteAsync("DELETE FROM outbound_hosts WHERE host = @host;", ("@host", host)) != 1)
            {
                return false;
            }

            await write.AppendAuditAsync(audit);
            return true;
        }, cancellationToken);

    private static OutboundHost Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.ReadTimestamp(2), r.GetString(3));
}
