using Escala.Core.Changes;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>
/// The change log read by this node: catch-up reads on pooled connections, wake-ups from LISTEN on one
/// dedicated connection (notifications are session state; a pool would lose them). A lost connection is
/// dropped and opened again on the next wait; whatever was notified meanwhile is in the table.
/// </summary>
public sealed class PostgresChangeFeed(PostgresDatabase database) : IChangeFeed, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlConnection? _listener;
    private int _woken;

    /// <inheritdoc/>
    public Task<long> HeadAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = connection.Command(null, "SELECT coalesce(max(revision), 0) FROM change_log;");
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Change>> ReadAfterAsync(long revision, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Change>>(async connection => await connection.ListAsync(
            "SELECT revision, topic, key, origin = @origin FROM change_log WHERE revision > @after ORDER BY revision LIMIT @limit;",
            r => new Change(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetBoolean(3)), ("@origin", database.NodeId), ("@after", revision), ("@limit", limit)), cancellationToken);

    /// <inheritdoc/>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        var connecting = false;
        try
        {
            if (_listener is not { State: System.Data.ConnectionState.Open })
            {
                connecting = true;
                await ListenAsync(cancellationToken);
                // Anything may have changed while nobody listened: the caller catches up now.
                return;
            }

            if (Interlocked.Exchange(ref _woken, 0) == 1)
            {
                return;
            }

            await _listener.WaitAsync(timeout, cancellationToken);
            Interlocked.Exchange(ref _woken, 0);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            // The connection broke (server restart, network): drop it; the next wait opens a new one. When the database
            // cannot be reached at all, wait out the timeout here, so a follower retries every few seconds, not in a tight loop.
            await DropAsync();
            if (connecting)
            {
                await Task.Delay(timeout, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await DropAsync();
        _gate.Dispose();
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        await DropAsync();
        var connection = database.CreateDedicatedConnection();
        connection.Notification += (_, _) => Interlocked.Exchange(ref _woken, 1);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var listen = connection.Command(null, $"LISTEN {PostgresChangeLog.Channel};");
            await listen.ExecuteNonQueryAsync(cancellationToken);
            _listener = connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task DropAsync()
    {
        if (_listener is { } connection)
        {
            _listener = null;
            await connection.DisposeAsync();
        }
    }
}
