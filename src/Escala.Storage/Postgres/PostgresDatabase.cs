using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>
/// The shared database of a cluster: a pooled <see cref="NpgsqlDataSource"/> with every PostgreSQL
/// migration applied on open. <see cref="WriteAsync{T}"/> runs audited control-plane changes one at a
/// time across all nodes (a transaction advisory lock, the cluster's counterpart of SQLite's single
/// writer); <see cref="WriteConcurrentAsync{T}"/> runs high-volume data-plane writes (prediction log,
/// counts, labels, windows) without it. Stores are thin classes over this, one per Core interface.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _source;

    private PostgresDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        ConnectionString = builder.ConnectionString;
        _source = NpgsqlDataSource.Create(builder);
        Description = $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <summary>The connection string (with its password, if any): for dedicated connections such as the scheduler lease.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// This process's identity in the change log: a node skips the changes it made itself (it applied them
    /// before answering). New on every start, so a restarted node replays nothing it may have missed.
    /// </summary>
    public string NodeId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>Host, port and database, for logs (never the password).</summary>
    public string Description { get; }

    /// <summary>Connects to the database at <paramref name="connectionString"/> and applies pending migrations.</summary>
    public static async Task<PostgresDatabase> OpenAsync(string connectionString, PostgresMigrations? migrations = null, CancellationToken cancellationToken = default)
    {
        var database = new PostgresDatabase(connectionString);
        try
        {
            await using var connection = await database._source.OpenConnectionAsync(cancellationToken);
            await (migrations ?? PostgresMigrations.Embedded).ApplyAsync(connection, cancellationToken);
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a read on a pooled connection.</summary>
    public async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken = default)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        return await read(connection);
    }

    /// <summary>A pooled open connection for streaming reads; the caller disposes it.</summary>
    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) => _source.OpenConnectionAsync(cancellationToken);

    /// <summary>A pooled open connection, synchronously (for the few synchronous interface members).</summary>
    public NpgsqlConnection OpenConnection() => _source.OpenConnection();

    /// <summary>
    /// A connection outside the pool, with TCP keepalive, for a session that must stay its own (an
    /// advisory lock held for leadership, LISTEN): session state never leaks through a pool.
    /// </summary>
    public NpgsqlConnection CreateDedicatedConnection()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, KeepAlive = 5, Timeout = 5 };
        return new NpgsqlConnection(builder.ConnectionString);
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one transaction holding the control-plane lock, and commits when it
    /// returns; any exception rolls everything back, audit records and change revisions included.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<PostgresWrite, Task<T>> write, CancellationToken cancellationToken = default) =>
        RunAsync(write, serialized: true, cancellationToken);

    /// <summary>Like <see cref="WriteAsync{T}"/> without a result.</summary>
    public Task WriteAsync(Func<PostgresWrite, Task> write, CancellationToken cancellationToken = default) =>
        RunAsync(async w =>
        {
            await write(w);
            return true;
        }, serialized: true, cancellationToken);

    /// <summary>
    /// Runs <paramref name="write"/> in one transaction without the control-plane lock: for writes that
    /// neither audit nor read-then-write (appends, additive upserts). Appending audit inside one still
    /// takes the lock for the chain.
    /// </summary>
    public Task<T> WriteConcurrentAsync<T>(Func<PostgresWrite, Task<T>> write, CancellationToken cancellationToken = default) =>
        RunAsync(write, serialized: false, cancellationToken);

    /// <summary>Like <see cref="WriteConcurrentAsync{T}"/> without a result.</summary>
    public Task WriteConcurrentAsync(Func<PostgresWrite, Task> write, CancellationToken cancellationToken = default) =>
        RunAsync(async w =>
        {
            await write(w);
            return true;
        }, serialized: false, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _source.DisposeAsync();

    /// <inheritdoc/>
    public void Dispose() => _source.Dispose();

    private async Task<T> RunAsync<T>(Func<PostgresWrite, Task<T>> write, bool serialized, CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var session = new PostgresWrite(connection, transaction, serialized: false, NodeId);
        if (serialized)
        {
            await session.SerializeAsync();
        }

        var result = await write(session);
        await transaction.CommitAsync(CancellationToken.None);
        return result;
    }
}
