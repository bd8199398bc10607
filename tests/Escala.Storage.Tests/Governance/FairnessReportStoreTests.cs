using Escala.Core.Audit;
using Escala.Core.Fairness;
using Escala.Storage.Fairness;
using Escala.Storage.Tests.Support;

namespace Escala.Storage.Tests.Governance;

public sealed class FairnessReportStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Evaluations_round_trip_the_latest_wins_and_each_is_audited()
    {
        using var world = new StorageWorld();
        var version = await world.RegisterAsync(StorageWorld.Admin, "credit");
        var store = new SqliteFairnessReportStore(world.Database);
        var rows = Enumerable.Range(0, 80).Select(i => new FairnessRow(i % 2 == 0 ? "F" : "M", i % 3 == 0, i % 4 == 0)).ToList();
        var first = new FairnessEvaluation("credit", version.Version, "y", "1", 80, [FairnessMetrics.Compute("sex", rows, new FairnessOptions { BootstrapSamples = 50 })], world.Clock.GetUtcNow(), "admin");
        await store.AddAsync(first, AuditEntry.Create(first.CreatedAt, StorageWorld.Admin, "fairness.evaluate", AuditSubjects.Version("credit", 1), null, first.Summary()), Ct);
        var second = first with { Rows = 40 };
        await store.AddAsync(second, AuditEntry.Create(second.CreatedAt, StorageWorld.Admin, "fairness.evaluate", AuditSubjects.Version("credit", 1), null, second.Summary()), Ct);

        var latest = await store.LatestAsync("credit", version.Version, Ct);
        Assert.Equal(40, latest!.Rows);
        Assert.Equal(first.Reports[0].DemographicParityDifference, latest.Reports[0].DemographicParityDifference);
        Assert.Equal(first.Reports[0].Groups, latest.Reports[0].Groups);
        Assert.Null(await store.LatestAsync("credit", 2, Ct));
        Assert.Equal(2, (await world.AuditRecordsAsync()).Count(r => r.Action == "fairness.evaluate"));
    }
}
