using System.Net;
using System.Text;
using Escala.Testing;

namespace Escala.Server.Tests.Organisation;

public sealed class CostAndReportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Costs_charge_back_exactly_project_the_pilot_and_the_capacity_test_and_report_use_them()
    {
        await using var world = await OrganisationWorld.StartAsync();
        await world.CreatePlanAsync("error_rate<=0.01");
        await world.ReadyAsync("risk");
        await world.Host.PostAsync("api/v1/rollouts/credit-plan/advance", new { });
        foreach (var user in new[] { "u1", "u2", "u1", "u2", "u1", "u2" })
        {
            using var served = await world.PredictAsync("risk", user);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        using (var put = await world.Admin.PutAsync("api/v1/costs/models/*",
            new StringContent("""{"currency":"EUR","nodeCostPerHour":0.5,"nodes":1,"fixedMonthly":100,"pricePer1000":3}""", Encoding.UTF8, "application/json"), Ct))
        {
            await Gateway.GatewayHost.Ensure(put);
        }

        using (var budget = await world.Admin.PutAsync("api/v1/costs/budgets/risk", new StringContent("""{"monthly":10}""", Encoding.UTF8, "application/json"), Ct))
        {
            await Gateway.GatewayHost.Ensure(budget);
        }

        var capacity = await world.Host.PostAsync("api/v1/endpoints/credit/capacity", new { maxConcurrency = 3, duration = "200ms" });
        Assert.Equal(3, capacity.GetProperty("points").GetArrayLength());
        Assert.Equal("credit:1", capacity.GetProperty("target").GetString());
        Assert.True(capacity.GetProperty("cpuMillisecondsPerPrediction").GetDouble() > 0);

        var costs = await world.Host.GetAsync("api/v1/costs");
        var total = costs.GetProperty("projectedMonthlyTotal").GetDecimal();
        var departments = costs.GetProperty("departments").EnumerateArray().ToArray();
        Assert.Equal(total, departments.Sum(d => d.GetProperty("projectedMonthlyCharge").GetDecimal()));
        var risk = departments.Single(d => d.GetProperty("department").GetString() == "risk");
        Assert.Equal(6, risk.GetProperty("predictionsToDate").GetInt64());
        // 0.5 x 1 x 720 + 100 + ... is far above a budget of 10.
        Assert.True(risk.GetProperty("overBudget").GetBoolean());

        // The pilot: 6 predictions by 2 users in 1 day -> 180 a month, 90 per user; the later waves hold 10 + 10 + 5 people.
        var projection = costs.GetProperty("projections").EnumerateArray().Single().GetProperty("projection");
        Assert.Equal(180, projection.GetProperty("pilotMonthlyPredictions").GetInt64());
        Assert.Equal(90, projection.GetProperty("predictionsPerUserMonth").GetDouble());
        Assert.Equal(180 + 90 * 25, projection.GetProperty("projectedMonthlyPredictions").GetInt64());
        Assert.True(projection.GetProperty("growthFactor").GetDouble() > 1);
        Assert.Single(costs.GetProperty("versions").EnumerateArray());

        using var html = await world.Admin.GetAsync("api/v1/report/html", Ct);
        var page = await html.Content.ReadAsStringAsync(Ct);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Rollout waves", page, StringComparison.Ordinal);
        Assert.Contains("<svg", page, StringComparison.Ordinal);
        Assert.Contains("@media print", page, StringComparison.Ordinal);
        using var bad = await world.Admin.GetAsync("api/v1/report/html?sections=gossip", Ct);
        await bad.AssertProblemAsync(Core.Problems.ProblemTypes.ValidationFailed, "gossip");
    }
}
