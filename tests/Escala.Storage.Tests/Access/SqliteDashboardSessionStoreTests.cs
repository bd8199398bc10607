using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Storage.Access;
using Escala.Storage.Tests.Support;

namespace Escala.Storage.Tests.Access;

public sealed class SqliteDashboardSessionStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sessions_AreStoredHashed_EndedOnce_WithTheirAudit_AndCleanedUpWhenFinished()
    {
        using var world = new StorageWorld();
        var key = await world.Issuer.BootstrapAsync(Ct);
        var store = new SqliteDashboardSessionStore(world.Database);
        var now = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var (id, token, hash) = SessionTokens.Generate();
        var principal = key!.Key.ToPrincipal();
        await store.AddAsync(new DashboardSession(id, hash, key.Key.Id, now, now.AddHours(8), null), AuditEntry.Create<object>(now, principal, "dashboard.sign-in", $"session/{id}", null, null), Ct);

        var found = await store.FindAsync(id, Ct);
        Assert.NotNull(found);
        Assert.True(SessionTokens.Matches(token, found.TokenHash));
        Assert.DoesNotContain(token, File.ReadAllText(world.Folder.DatabasePath + "-wal", System.Text.Encoding.Latin1) + File.ReadAllText(world.Folder.DatabasePath, System.Text.Encoding.Latin1), StringComparison.Ordinal);
        Assert.True(found.IsUsableAt(now.AddHours(8).AddTicks(-1)));
        Assert.False(found.IsUsableAt(now.AddHours(8)));
        Assert.Equal(id, SessionTokens.IdOf(token));
        Assert.Null(SessionTokens.IdOf("esk_" + token[4..]));

        Assert.True(await store.EndAsync(id, now.AddHours(1), AuditEntry.Create<object>(now.AddHours(1), principal, "dashboard.sign-out", $"session/{id}", null, null), Ct));
        Assert.False(await store.EndAsync(id, now.AddHours(2), AuditEntry.Create<object>(now.AddHours(2), principal, "dashboard.sign-out", $"session/{id}", null, null), Ct));
        Assert.False((await store.FindAsync(id, Ct))!.IsUsableAt(now.AddHours(1)));
        var audit = await world.Audit.ListNewestAsync(null, 10, new AuditFilter(SubjectPrefix: "session/"), Ct);
        Assert.Equal(["dashboard.sign-out", "dashboard.sign-in"], audit.Select(r => r.Action));

        Assert.Equal(0, await store.DeleteFinishedAsync(now, Ct));
        Assert.Equal(1, await store.DeleteFinishedAsync(now.AddHours(2), Ct));
        Assert.Null(await store.FindAsync(id, Ct));
    }

    [Fact]
    public void FormTokens_BelongToOneSession()
    {
        var (_, a, _) = SessionTokens.Generate();
        var (_, b, _) = SessionTokens.Generate();
        Assert.True(SessionTokens.FormTokenMatches(a, SessionTokens.FormToken(a)));
        Assert.False(SessionTokens.FormTokenMatches(a, SessionTokens.FormToken(b)));
        Assert.False(SessionTokens.FormTokenMatches(a, null));
        Assert.False(SessionTokens.FormTokenMatches(a, ""));
    }
}
