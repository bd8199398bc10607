using Escala.Core.Audit;
using Escala.Core.PredictionLog;
using Escala.Core.Privacy;
using Escala.Storage.PredictionLog;
using Escala.Storage.Privacy;
using Escala.Storage.Tests.Support;

namespace Escala.Storage.Tests.Governance;

public sealed class PrivacyStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Policies_round_trip_erasure_and_purge_delete_exactly_their_rows_and_audit_counts()
    {
        using var world = new StorageWorld();
        var store = new SqlitePrivacyStore(world.Database);
        var log = new SqlitePredictionLogStore(world.Database);
        var policy = PrivacyPolicy.From(new Dictionary<string, string> { ["email"] = "hash", ["phone"] = "mask:2:2" }, new RetentionPolicy(PredictionsDays: 30));
        var stored = new StoredPrivacyPolicy("scoring", policy, world.Clock.GetUtcNow(), "admin");
        await store.SetAsync(stored, AuditEntry.Create(stored.UpdatedAt, StorageWorld.Admin, "privacy.set", AuditSubjects.Endpoint("scoring"), (object?)null, new { }), Ct);
        var now = world.Clock.GetUtcNow();
        await log.AppendAsync([
            Line("r1", now.AddDays(-40), "hmac:a"), Line("r2", now, "hmac:a"), Line("r3", now, "hmac:b"), Line("r4", now.AddDays(-40), null),
        ], Ct);

        var listed = Assert.Single(await store.ListAsync(Ct));
        Assert.Equal("mask:2:2", listed.Policy.Fields["phone"].ToString());
        Assert.Equal(30, listed.Policy.Retention.PredictionsDays);

        var erased = await store.EraseSubjectAsync("scoring", ["hmac:a"], c => AuditEntry.Create(now, StorageWorld.Admin, "privacy.erase", "endpoint/scoring", (object?)null, new { c.Predictions }), Ct);
        Assert.Equal(new DeletedRows(2, 0), erased);
        var purged = await store.PurgeAsync("scoring", now.AddDays(-30), null, c => AuditEntry.Create(now, StorageWorld.Admin, "privacy.purge", "endpoint/scoring", (object?)null, new { c.Predictions }), Ct);
        Assert.Equal(new DeletedRows(1, 0), purged);
        var left = await log.QueryAsync(new PredictionLogQuery("scoring"), Ct);
        Assert.Equal(["r3"], left.Select(l => l.RequestId));
        var actions = (await world.AuditRecordsAsync()).Select(r => r.Action).ToList();
        Assert.Equal(["privacy.set", "privacy.erase", "privacy.purge"], actions);
    }

    private static PredictionRecord Line(string id, DateTimeOffset at, string? subject) =>
        new(id, at, "scoring", "m:1", null, subject, PredictionKind.Served, "routed", null, "[]"u8.ToArray(), "[]"u8.ToArray(), 10);
}
