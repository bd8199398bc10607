using Escala.Core.Scheduling;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>
/// The scheduler lease of a cluster: a session advisory lock (<see cref="PostgresLocks.SchedulerLeader"/>)
/// held on one dedicated connection outside the pool. PostgreSQL releases a session lock when its session
/// ends, also abruptly, so when the leader dies or loses its connection another node's next try takes it.
/// Each ask checks the session is still alive (a lost connection means the lock is gone) and, when it is
/// not held, tries again on a fresh connection: a node whose connection comes back rejoins as a follower.
/// </summary>
public sealed class PostgresSchedulerLease(PostgresDatabase database) : ISchedulerLease, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlConnection? _session;
    private bool _held;

    /// <summary>The PostgreSQL backend process of this node's lease session, if it has one (for operators and tests).</summary>
    public int? SessionProcessId => _session is { State: System.Data.ConnectionState.Open } s ? s.ProcessID : null;

    /// <inheritdoc/>
    public async ValueTask<bool> HoldsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_held && await AliveAsync(cancellationToken))
            {
                return true;
            }

            _held = false;
            if (_session is not { State: System.Data.ConnectionState.Open })
            {
                await DropAsync();
                _session = database.CreateDedicatedConnection();
                await _session.OpenAsync(cancellationToken);
            }

            await using var take = _session.Command(null, "SELECT pg_try_advisory_lock(@key);", ("@key", PostgresLocks.SchedulerLeader));
            _held = (bool)(await take.ExecuteScalarAsync(cancellationToken))!;
            return _held;
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // No database, no lease: cluster-wide jobs wait until a connection (and the lock) is back.
            await DropAsync();
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Gives the lease up (closing the session releases the lock), e.g. on a graceful stop.</summary>
    public async ValueTask DisposeAsync()
    {
        await DropAsync();
        _gate.Dispose();
    }

    private async Task<bool> AliveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var ping = _session!.Command(null, "SELECT 1;");
            ping.CommandTimeout = 5;
            await ping.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            await DropAsync();
            return false;
        }
    }

    private async Task DropAsync()
    {
        _held = false;
        if (_session is { } session)
        {
            _session = null;
            await session.DisposeAsync();
        }
    }
}
