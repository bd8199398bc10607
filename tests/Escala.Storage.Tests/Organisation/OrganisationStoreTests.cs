using Escala.Core.Adoption;
using Escala.Core.Audit;
using Escala.Core.Endpoints;
using Escala.Core.Problems;
using Escala.Core.Rollouts;
using Escala.Core.UseCases;
using Escala.Storage.Endpoints;
using Escala.Storage.Organisation;
using Escala.Storage.Sqlite;
using Escala.Storage.Tests.Support;

namespace Escala.Storage.Tests.Organisation;

public sealed class OrganisationStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class NoMeasurements : IRolloutMeasurements
    {
        public Task<IReadOnlyDictionary<string, Measurement>> MeasureAsync(RolloutPlan plan, IReadOnlyList<string> departments, DateTimeOffset since, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyDictionary<string, Measurement>>(new Dictionary<string, Measurement>());
    }

    private static async Task<(SqliteEndpointStore Endpoints, UseCaseCatalog UseCases, RolloutCatalog Rollouts, SqliteRolloutStore Store)> WorldAsync(StorageWorld world)
    {
        await world.DepartmentAsync("risk");
        await world.DepartmentAsync("operations");
        var endpoints = new SqliteEndpointStore(world.Database);
        var catalog = new EndpointCatalog(endpoints, world.Departments, world.Clock);
        await catalog.CreateAsync(StorageWorld.Admin, new EndpointDraft("credit"), Ct);
        var useCaseStore = new SqliteUseCaseStore(world.Database);
        var useCases = new UseCaseCatalog(useCaseStore, endpoints, world.Departments, world.Clock);
        var store = new SqliteRolloutStore(world.Database);
        var rollouts = new RolloutCatalog(store, useCaseStore, endpoints, world.Departments, world.Models, new NoMeasurements(), world.Clock);
        await world.RegisterAsync(StorageWorld.Admin, "m");
        return (endpoints, useCases, rollouts, store);
    }

    [Fact]
    public async Task A_use_case_round_trips_its_exact_value_and_lists_and_is_audited()
    {
        using var world = new StorageWorld();
        var (_, useCases, _, _) = await WorldAsync(world);
        await useCases.CreateAsync(StorageWorld.Admin, "credit-decisioning", new UseCaseChange("Loan decisions", "risk", ["credit"], ["risk", "operations"], 0.30m, "EUR"), Ct);
        var read = await useCases.GetAsync("credit-decisioning", Ct);

        Assert.Equal(0.30m, read.ValuePerPrediction);
        Assert.Equal(["credit"], read.Endpoints);
        Assert.Equal(["risk", "operations"], read.Departments);
        Assert.Equal("usecase.create", (await world.AuditRecordsAsync())[^1].Action);
    }

    [Fact]
    public async Task An_advance_whose_endpoint_changed_meanwhile_writes_neither_the_plan_nor_the_routing()
    {
        using var world = new StorageWorld();
        var (endpoints, useCases, rollouts, store) = await WorldAsync(world);
        await useCases.CreateAsync(StorageWorld.Admin, "credit-decisioning", new UseCaseChange(Endpoints: ["credit"], ValuePerPrediction: 1, ValueUnit: "minutes saved"), Ct);
        var plan = await rollouts.CreateAsync(StorageWorld.Admin, new RolloutDraft("credit-plan", "credit-decisioning", "credit", "m:1", ["risk", "operations"]), Ct);
        foreach (var (item, _) in ReadinessItems.All)
        {
            plan = await rollouts.CheckAsync(StorageWorld.Admin, "credit-plan", "risk", item, "done", false, Ct);
        }

        var endpoint = (await endpoints.FindAsync("credit", Ct))!;
        var step = await rollouts.PlanAdvanceAsync(StorageWorld.Admin, plan, endpoint, null, Ct);
        // Someone else changes the endpoint between planning and committing.
        Assert.True(await endpoints.TryUpdateAsync(endpoint with { Generation = endpoint.Generation + 1 }, endpoint.Generation,
            new AuditEntry(world.Clock.GetUtcNow(), "other", "endpoint.settings", "endpoint/credit", null, null), Ct));
        var auditBefore = (await world.AuditRecordsAsync()).Count;

        var e = await Assert.ThrowsAsync<ProblemException>(() => rollouts.CommitAsync(step, Ct));
        Assert.Equal(ProblemTypes.Conflict, e.Type);
        Assert.Equal(0, (await store.FindAsync("credit-plan", Ct))!.Served);
        Assert.Empty((await endpoints.FindAsync("credit", Ct))!.Routing.Departments);
        Assert.Equal(auditBefore, (await world.AuditRecordsAsync()).Count);

        // Planned again on the current endpoint, the wave commits plan and routing together.
        await rollouts.CommitAsync(await rollouts.PlanAdvanceAsync(StorageWorld.Admin, plan, (await endpoints.FindAsync("credit", Ct))!, null, Ct), Ct);
        Assert.Equal(1, (await store.FindAsync("credit-plan", Ct))!.Served);
        Assert.Equal("risk", Assert.Single((await endpoints.FindAsync("credit", Ct))!.Routing.Departments).Department);
    }

    [Fact]
    public async Task Usage_counts_add_up_users_count_once_per_window_and_survive_reopening()
    {
        using var world = new StorageWorld();
        var usage = new SqliteUsageStore(world.Database);
        await usage.AddAsync(
            [new(100, "risk", "credit", "m:1", 10, 1), new(101, "risk", "credit", "m:1", 5, 0), new(101, "ops", "credit", "m:1", 7, 0)],
            [new(100, "risk", "credit", "u0"), new(100, "risk", "credit", "u1"), new(101, "risk", "credit", "u1"), new(101, "risk", "credit", "u2"), new(101, "ops", "credit", "u3")], Ct);
        await usage.AddAsync([new(101, "risk", "credit", "m:1", 1, 1)], [new(101, "risk", "credit", "u2")], Ct);

        using var reopened = SqliteDatabase.Open(world.Folder.DatabasePath);
        var again = new SqliteUsageStore(reopened);
        var totals = await again.TotalsAsync(100, 101, Ct);
        Assert.Equal([new UsageTotal("ops", "credit", 7, 0), new UsageTotal("risk", "credit", 16, 2)], totals);
        // Since day 100: u0, u1, u2 in risk; since day 101 u0 (last seen on day 100) no longer counts.
        Assert.Equal([("ops", 1L), ("risk", 3L)], await again.ActiveUsersByDepartmentAsync(100, null, Ct));
        Assert.Equal([("ops", 1L), ("risk", 2L)], await again.ActiveUsersByDepartmentAsync(101, ["credit"], Ct));
        Assert.Empty(await again.ActiveUsersByDepartmentAsync(101, ["other"], Ct));
        // Days 100 and 101 (1970-04-11 and -12) fall in the same Monday-based week.
        var week = Assert.Single(await again.WeeklyAsync(100, 101, ["risk"], Ct));
        Assert.Equal((3L, 16L), (week.ActiveUsers, week.Predictions));
    }
}
