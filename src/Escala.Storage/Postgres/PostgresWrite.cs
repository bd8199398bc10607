using System.Globalization;
using Escala.Core.Audit;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>
/// One PostgreSQL write transaction: commands run on it, and audit records and change revisions
/// appended through it commit or roll back together with the change they describe. Handed out by
/// <see cref="PostgresDatabase.WriteAsync{T}"/>.
/// </summary>
public sealed class PostgresWrite(NpgsqlConnection connection, NpgsqlTransaction transaction, bool serialized, string origin)
{
    private bool _serialized = serialized;

    /// <summary>The connection the transaction runs on.</summary>
    public NpgsqlConnection Connection { get; } = connection;

    /// <summary>The open transaction.</summary>
    public NpgsqlTransaction Transaction { get; } = transaction;

    /// <summary>The node this write runs on (<see cref="PostgresDatabase.NodeId"/>), recorded with the changes it publishes.</summary>
    public string Origin { get; } = origin;

    /// <summary>A command in this transaction with named parameters (<c>@name</c>).</summary>
    public NpgsqlCommand Command(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        Connection.Command(Transaction, sql, parameters);

    /// <summary>Runs a statement and returns the number of rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a query in this transaction and returns its first column of the first row, or default.</summary>
    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        var value = await command.ExecuteScalarAsync();
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
    }

    /// <summary>Maps every row of a query in this transaction.</summary>
    public Task<List<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> map, params (string Name, object? Value)[] parameters) =>
        Connection.ListAsync(Transaction, sql, map, parameters);

    /// <summary>
    /// Takes the cluster-wide control-plane lock for the rest of this transaction (once; later calls are free).
    /// Audited writes take it first thing, so everything they read stays true until they commit.
    /// </summary>
    public async Task SerializeAsync()
    {
        if (_serialized)
        {
            return;
        }

        await ExecuteAsync("SELECT pg_advisory_xact_lock(@key);", ("@key", PostgresLocks.ControlPlane));
        _serialized = true;
    }

    /// <summary>Appends an entry to the audit chain inside this transaction and returns the sealed record.</summary>
    public async Task<AuditRecord> AppendAuditAsync(AuditEntry entry)
    {
        // The chain's head is read and extended under the control-plane lock: two nodes can never both
        // append after the same record.
        await SerializeAsync();
        return await PostgresAuditLog.AppendAsync(this, entry);
    }

    /// <summary>Appends several entries in order.</summary>
    public async Task AppendAuditAsync(IEnumerable<AuditEntry> entries)
    {
        foreach (var entry in entries)
        {
            await AppendAuditAsync(entry);
        }
    }

    /// <summary>
    /// Records that something nodes cache changed (<paramref name="topic"/>, <paramref name="key"/>) under the
    /// next revision, and wakes the listening nodes when this transaction commits.
    /// </summary>
    public async Task<long> PublishChangeAsync(string topic, string key)
    {
        // Under the control-plane lock revisions are handed out in commit order, so a node that has
        // applied revision n has seen every change before it.
        await SerializeAsync();
        return await PostgresChangeLog.AppendAsync(this, topic, key);
    }
}
