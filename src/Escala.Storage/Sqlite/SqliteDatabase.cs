using Escala.Core.Audit;
using Microsoft.Data.Sqlite;

namespace Escala.Storage.Sqlite;

/// <summary>
/// The embedded database of a data folder: one SQLite file in WAL mode (readers never block the
/// writer), with every schema migration applied on open. Writes go one at a time through
/// <see cref="WriteAsync{T}"/>, each in its own immediate transaction with synchronous=FULL, so a
/// change the API acknowledged survives a crash or a power cut. Stores are thin classes over this.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private bool _disposed;

    private SqliteDatabase(string path, bool create)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            // Waits (and retries) this long when another process holds the write lock.
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Where the audit chain's head is anchored after each commit that appended records (set once, at startup).</summary>
    public IAuditAnchor? Anchor { get; set; }

    /// <summary>Opens (creating when missing) the database at <paramref name="path"/> and applies pending migrations.</summary>
    public static SqliteDatabase Open(string path, SchemaMigrations? migrations = null)
    {
        var database = new SqliteDatabase(path, create: true);
        try
        {
            using var connection = database.Connect();
            using (var wal = connection.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode=WAL;";
                wal.ExecuteNonQuery();
            }

            (migrations ?? SchemaMigrations.Embedded).Apply(connection);
            return database;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens an existing database without changing it (no migrations), e.g. to verify the audit chain of
    /// a stopped server's data folder. Throws when the file is missing or its schema is not ours.
    /// </summary>
    public static SqliteDatabase OpenExisting(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"There is no Escala database at {path}.", path);
        }

        var database = new SqliteDatabase(path, create: false);
        try
        {
            using var connection = database.Connect();
            SchemaMigrations.Embedded.RequireApplied(connection);
            return database;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>Runs a read on its own connection; WAL lets it proceed while a write is in progress.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> read, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = Connect();
        return await read(connection);
    }

    /// <summary>A new open connection for streaming reads; the caller disposes it.</summary>
    public SqliteConnection OpenConnection() => Connect();

    /// <summary>
    /// Runs <paramref name="write"/> in an immediate transaction, one write at a time, and commits when
    /// it returns; any exception rolls everything back, audit records included.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteWrite, Task<T>> write, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = Connect();
            using (var durable = connection.CreateCommand())
            {
                durable.CommandText = "PRAGMA synchronous=FULL;";
                durable.ExecuteNonQuery();
            }

            await using var transaction = connection.BeginTransaction(deferred: false);
            var unit = new SqliteWrite(connection, transaction);
            var result = await write(unit);
            await transaction.CommitAsync(CancellationToken.None);

            // Still under the write lock, so anchors follow commits in order; before the caller is answered.
            if (unit.LastAudit is { } head)
            {
                Anchor?.Advance(head);
            }

            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Like <see cref="WriteAsync{T}"/> without a result.</summary>
    public Task WriteAsync(Func<SqliteWrite, Task> write, CancellationToken cancellationToken = default) =>
        WriteAsync(async w =>
        {
            await write(w);
            return true;
        }, cancellationToken);

    /// <summary>Folds the WAL back into the database file and releases pooled connections (a clean shutdown).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // A read-only or busy database cannot checkpoint; the WAL stays valid and is applied on the next open.
        }

        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _writeLock.Dispose();
    }

    private SqliteConnection Connect()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
