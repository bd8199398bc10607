using Escala.Core.Audit;
using Escala.Core.Explanations;
using Escala.Storage.Explanations;
using Escala.Storage.Tests.Support;

namespace Escala.Storage.Tests.Governance;

public sealed class ExplanationBackgroundStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_background_is_stored_replaced_and_audited_without_its_rows()
    {
        using var world = new StorageWorld();
        var version = await world.RegisterAsync(StorageWorld.Admin, "credit");
        var store = new SqliteExplanationBackgroundStore(world.Database);
        var first = new ExplanationBackground("credit", version.Version, "age,city\n41,Lyon\n", 1, world.Clock.GetUtcNow(), "admin");
        await store.SetAsync(first, AuditEntry.Create(first.CreatedAt, StorageWorld.Admin, "explanation-background.set", AuditSubjects.Version("credit", 1), null, first.Summary()), Ct);
        var second = first with { Csv = "age,city\n52,Paris\n33,Nice\n", Rows = 2 };
        await store.SetAsync(second, AuditEntry.Create(second.CreatedAt, StorageWorld.Admin, "explanation-background.set", AuditSubjects.Version("credit", 1), first.Summary(), second.Summary()), Ct);

        Assert.Equal(second, await store.FindAsync("credit", version.Version, Ct));
        Assert.Null(await store.FindAsync("credit", 2, Ct));
        var audit = (await world.AuditRecordsAsync()).Where(r => r.Action == "explanation-background.set").ToList();
        Assert.Equal(2, audit.Count);
        Assert.DoesNotContain("Paris", audit[1].After, StringComparison.Ordinal);
        Assert.Contains("\"rows\":2", audit[1].After, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sample_is_seeded_uniform_and_keeps_the_header_and_quoted_fields()
    {
        var csv = "name,score\n" + string.Concat(Enumerable.Range(0, 5000).Select(i => $"\"row, {i}\",{i}\n"));
        var first = BackgroundSample.Take(new StringReader(csv), maxRows: 200);
        var again = BackgroundSample.Take(new StringReader(csv), maxRows: 200);

        Assert.Equal(first, again);
        var (header, rows) = BackgroundSample.Read(first!.Value.Csv);
        Assert.Equal(["name", "score"], header);
        Assert.Equal(200, rows.Count);
        Assert.All(rows, r => Assert.Equal($"row, {r[1]}", r[0]));

        // Uniform over the table: the sample's mean index is near the table's (2499.5; sd of the mean ≈ 102).
        Assert.InRange(rows.Average(r => int.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)), 2499.5 - 400, 2499.5 + 400);
        Assert.Null(BackgroundSample.Take(new StringReader("name,score\n")));
    }
}
