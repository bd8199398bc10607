using Escala.Core.Audit;
using Escala.Core.Changes;
using Escala.Storage.Postgres;
using Escala.Storage.Tests.Support;
using Escala.Testing;

namespace Escala.Storage.Tests.Postgres;

/// <summary>
/// What only a shared PostgreSQL database has to get right: nodes migrating at once, the scheduler lease
/// moving when its holder's session dies, and the change log that wakes and heals followers.
/// Skipped unless <c>ESCALA_TEST_POSTGRES</c> names a server.
/// </summary>
public sealed class PostgresClusterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Nodes_starting_together_apply_each_migration_exactly_once()
    {
        await using var backend = await PostgresBackend.CreateAsync();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(backend.OpenDatabaseAsync, Ct)));

        Assert.Equal((long)PostgresMigrations.Embedded.All.Count, await backend.ScalarAsync("SELECT count(*) FROM schema_migrations;"));
        Assert.Equal(string.Join(',', PostgresMigrations.Embedded.All.Select(m => m.Id)), (string?)await backend.ScalarAsync("SELECT string_agg(id, ',' ORDER BY id) FROM schema_migrations;"));
    }

    [Fact]
    public async Task A_database_with_an_edited_migration_is_refused()
    {
        await using var backend = await PostgresBackend.CreateAsync();
        await backend.OpenDatabaseAsync();
        await backend.ScalarAsync("UPDATE schema_migrations SET checksum = 'edited' WHERE id = '0002_gateway';");

        var error = await Assert.ThrowsAsync<InvalidDataException>(backend.OpenDatabaseAsync);
        Assert.Contains("0002_gateway", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_log_refuses_updates_and_deletes()
    {
        await using var backend = await PostgresBackend.CreateAsync();
        var node = await backend.OpenNodeAsync(new ManualClock());
        await node.Audit.AppendAsync(new AuditEntry(DateTimeOffset.UnixEpoch, "a", "b", "c", null, null), Ct);

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => backend.ScalarAsync("UPDATE audit_log SET actor = 'mallory';"));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => backend.ScalarAsync("DELETE FROM audit_log;"));
        Assert.True((await AuditChain.VerifyAsync(node.Audit.ReadAllAsync(Ct), Ct)).IsIntact);
    }

    [Fact]
    public async Task Exactly_one_lease_holds_and_the_other_takes_over_when_the_holders_session_dies()
    {
        await using var backend = await PostgresBackend.CreateAsync();
        await using var first = new PostgresSchedulerLease(await backend.OpenDatabaseAsync());
        await using var second = new PostgresSchedulerLease(await backend.OpenDatabaseAsync());

        Assert.True(await first.HoldsAsync(Ct));
        Assert.False(await second.HoldsAsync(Ct));
        Assert.True(await first.HoldsAsync(Ct));
        Assert.False(await second.HoldsAsync(Ct));

        // The holder's node dies: its session ends (as on a crash or a cut connection), and the lock with it.
        await backend.ScalarAsync($"SELECT pg_terminate_backend({first.SessionProcessId});");
        await Poll.UntilAsync(async () => await second.HoldsAsync(Ct), TimeSpan.FromSeconds(30), "the second lease never took over");

        // The old holder notices its session is gone, reconnects, and is a follower now.
        Assert.False(await first.HoldsAsync(Ct));
        Assert.True(await second.HoldsAsync(Ct));
    }

    [Fact]
    public async Task Changes_come_back_in_revision_order_wake_a_waiting_follower_and_survive_a_lost_connection()
    {
        await using var backend = await PostgresBackend.CreateAsync();
        var writer = await backend.OpenDatabaseAsync();
        var reader = await backend.OpenDatabaseAsync();
        await using var feed = new PostgresChangeFeed(reader);
        await using var own = new PostgresChangeFeed(writer);
        await feed.WaitAsync(TimeSpan.FromSeconds(1), Ct); // opens the listening connection

        var waiting = feed.WaitAsync(TimeSpan.FromMinutes(5), Ct);
        await writer.WriteAsync(write => write.PublishChangeAsync(ChangeTopics.Endpoint, "credit"), Ct);
        await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct); // woken by NOTIFY, not by the five-minute timeout

        // A lost listening connection loses notifications, never changes: the log has them.
        await backend.ScalarAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid();");
        await writer.WriteAsync(write => write.PublishChangeAsync(ChangeTopics.Keys, "k1"), Ct);
        await writer.WriteAsync(write => write.PublishChangeAsync(ChangeTopics.Endpoint, "credit"), Ct);
        await feed.WaitAsync(TimeSpan.FromSeconds(1), Ct);

        var changes = await feed.ReadAfterAsync(0, 100, Ct);
        Assert.Equal([1L, 2, 3], changes.Select(c => c.Revision));
        Assert.Equal([ChangeTopics.Endpoint, ChangeTopics.Keys, ChangeTopics.Endpoint], changes.Select(c => c.Topic));
        Assert.All(changes, c => Assert.False(c.Local));
        Assert.All(await own.ReadAfterAsync(1, 100, Ct), c => Assert.True(c.Local));
        Assert.Equal(3, await feed.HeadAsync(Ct));
    }
}
