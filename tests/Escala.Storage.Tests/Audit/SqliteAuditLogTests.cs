using Escala.Core.Audit;
using Escala.Storage.Audit;
using Escala.Storage.Sqlite;
using Escala.Storage.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Escala.Storage.Tests.Audit;

public sealed class SqliteAuditLogTests
{
    private static AuditEntry Entry(int i) => new(DateTimeOffset.UnixEpoch.AddSeconds(i), "tester (k1)", "test.append", $"thing/{i}", null, $"{{\"i\":{i}}}");

    [Fact]
    public async Task Append_ChainsAcrossReopen()
    {
        using var world = new StorageWorld();
        await world.Audit.AppendAsync(Entry(1), TestContext.Current.CancellationToken);
        await world.Audit.AppendAsync(Entry(2), TestContext.Current.CancellationToken);
        world.Database.Dispose();

        using var reopened = SqliteDatabase.Open(world.Folder.DatabasePath);
        var log = new SqliteAuditLog(reopened);
        var third = await log.AppendAsync(Entry(3), TestContext.Current.CancellationToken);
        Assert.Equal(3, third.Sequence);
        var verification = await AuditChain.VerifyAsync(log.ReadAllAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        Assert.True(verification.IsIntact);
        Assert.Equal(third.Hash, verification.HeadHash);
    }

    [Fact]
    public async Task Append_Concurrently_KeepsOneGaplessChain()
    {
        using var world = new StorageWorld();
        await Task.WhenAll(Enumerable.Range(1, 40).Select(i => Task.Run(() => world.Audit.AppendAsync(Entry(i), TestContext.Current.CancellationToken))));
        var records = await world.AuditRecordsAsync();
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), records.Select(r => r.Sequence));
        Assert.True(AuditChain.Verify(records).IsIntact);
    }

    [Fact]
    public async Task Rows_CannotBeUpdatedOrDeletedThroughSql()
    {
        using var world = new StorageWorld();
        await world.Audit.AppendAsync(Entry(1), TestContext.Current.CancellationToken);
        var update = await Assert.ThrowsAsync<SqliteException>(() =>
            world.Database.WriteAsync(w => w.ExecuteAsync("UPDATE audit_log SET actor = 'mallory';"), TestContext.Current.CancellationToken));
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SqliteException>(() => world.Database.WriteAsync(w => w.ExecuteAsync("DELETE FROM audit_log;"), TestContext.Current.CancellationToken));
        Assert.Single(await world.AuditRecordsAsync());
    }

    [Fact]
    public async Task FailedWrite_RollsBackItsAuditRecordToo()
    {
        using var world = new StorageWorld();
        await Assert.ThrowsAsync<InvalidOperationException>(() => world.Database.WriteAsync(async w =>
        {
            await w.AppendAuditAsync(Entry(1));
            throw new InvalidOperationException("the change itself failed");
        }, TestContext.Current.CancellationToken));
        Assert.Empty(await world.AuditRecordsAsync());
    }

    [Fact]
    public async Task List_PagesAndFiltersBySubjectPrefix()
    {
        using var world = new StorageWorld();
        for (var i = 1; i <= 5; i++)
        {
            await world.Audit.AppendAsync(Entry(i), TestContext.Current.CancellationToken);
        }

        var page = await world.Audit.ListAsync(2, 2, null, TestContext.Current.CancellationToken);
        Assert.Equal([3L, 4L], page.Select(r => r.Sequence));
        var filtered = await world.Audit.ListAsync(0, 10, "thing/4", TestContext.Current.CancellationToken);
        Assert.Equal("thing/4", Assert.Single(filtered).Subject);
    }
}
