using System.Net;
using System.Text;
using Escala.Core.Problems;
using Escala.Testing;

namespace Escala.Server.Tests.Organisation;

public sealed class RolloutGatewayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Waves_serve_departments_one_after_another_and_rollback_takes_the_last_back()
    {
        await using var world = await OrganisationWorld.StartAsync();
        await world.CreatePlanAsync("error_rate<=0.01", "adoption_depth>=0.3");

        // No wave serves yet: the pilot department is refused.
        using (var refused = await world.PredictAsync("risk", "alice@bank.example"))
        {
            await refused.AssertProblemAsync(ProblemTypes.NotDeployed);
        }

        // The pilot's checklist is not ticked: the advance names its readiness gate and changes nothing.
        using (var blocked = await world.PostAsync("api/v1/rollouts/credit-plan/advance", new { }))
        {
            await blocked.AssertProblemAsync(ProblemTypes.GatesFailing, "readiness:risk");
        }

        await world.ReadyAsync("risk");
        await world.Host.PostAsync("api/v1/rollouts/credit-plan/advance", new { });
        foreach (var user in new[] { "alice@bank.example", "bob@bank.example", "alice@bank.example" })
        {
            using var served = await world.PredictAsync("risk", user);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        using (var outside = await world.PredictAsync("retail-banking", "carol@bank.example"))
        {
            await outside.AssertProblemAsync(ProblemTypes.NotDeployed, "retail-banking");
        }

        // Wave 2's gates: its departments' readiness fails; the pilot's KPIs (0 errors, 2 of 4 users active) pass.
        var shown = await world.Host.GetAsync("api/v1/rollouts/credit-plan");
        var gates = shown.GetProperty("gates").GetProperty("gates").EnumerateArray().ToDictionary(g => g.GetProperty("name").GetString()!);
        Assert.False(gates["readiness:retail-banking"].GetProperty("passed").GetBoolean());
        Assert.Equal(0.5, gates["adoption_depth"].GetProperty("measured").GetDouble());
        Assert.True(gates["adoption_depth"].GetProperty("passed").GetBoolean());
        Assert.Equal(0, gates["error_rate"].GetProperty("measured").GetDouble());

        await world.ReadyAsync("retail-banking", "operations");
        await world.Host.PostAsync("api/v1/rollouts/credit-plan/advance", new { });
        using (var now = await world.PredictAsync("retail-banking", "carol@bank.example"))
        {
            Assert.Equal(HttpStatusCode.OK, now.StatusCode);
        }

        await world.Host.PostAsync("api/v1/rollouts/credit-plan/rollback", new { });
        using (var back = await world.PredictAsync("operations", "dave@bank.example"))
        {
            await back.AssertProblemAsync(ProblemTypes.NotDeployed);
        }

        using (var pilot = await world.PredictAsync("risk", "alice@bank.example"))
        {
            Assert.Equal(HttpStatusCode.OK, pilot.StatusCode);
        }

        var adoption = await world.Host.GetAsync("api/v1/adoption?weeks=4");
        var risk = adoption.GetProperty("departments").EnumerateArray().Single(d => d.GetProperty("department").GetString() == "risk");
        Assert.Equal(2, risk.GetProperty("activeUsers7d").GetInt64());
        Assert.Equal(0.5, risk.GetProperty("depth7d").GetDouble());
        var retail = adoption.GetProperty("departments").EnumerateArray().Single(d => d.GetProperty("department").GetString() == "retail-banking");
        Assert.Equal(1, retail.GetProperty("activeUsers7d").GetInt64());
        // Two of four departments had active users (risk, retail-banking); operations and treasury none.
        Assert.Equal(0.5, adoption.GetProperty("breadth").GetProperty("value").GetDouble());
        // Five answered predictions (refused ones are not use) at 0.30 EUR each.
        var useCase = adoption.GetProperty("useCases").EnumerateArray().Single();
        Assert.Equal(5, useCase.GetProperty("predictions").GetInt64());
        Assert.Equal(1.50m, useCase.GetProperty("impact").GetDecimal());

        var audit = await world.Host.GetAsync("api/v1/audit?limit=500");
        var actions = audit.ToString();
        Assert.Contains("rollout.advance", actions, StringComparison.Ordinal);
        Assert.Contains("rollout.rollback", actions, StringComparison.Ordinal);
        Assert.Contains("endpoint.wave", actions, StringComparison.Ordinal);

        // The end users' ids are nowhere in the data folder, in any file (database, WAL, logs, artifacts).
        await world.Host.Server.StopAsync();
        foreach (var file in Directory.EnumerateFiles(world.Host.Server.DataDirectory, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file, Ct);
            foreach (var id in new[] { "alice@bank.example", "bob@bank.example", "carol@bank.example" })
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(id)) < 0, $"{id} found in clear in {file}");
            }
        }
    }

    [Fact]
    public async Task A_failing_kpi_alone_blocks_the_wave_by_name_and_an_admin_override_is_audited()
    {
        await using var world = await OrganisationWorld.StartAsync();
        await world.CreatePlanAsync("error_rate<=0.01", "adoption_depth>=0.5");
        await world.ReadyAsync("risk", "retail-banking", "operations");
        await world.Host.PostAsync("api/v1/rollouts/credit-plan/advance", new { });
        using (var one = await world.PredictAsync("risk", "alice@bank.example"))
        {
            Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        }

        // 1 of 4 people active: depth 0.25 < 0.5, while error rate (0) and readiness pass.
        using (var blocked = await world.PostAsync("api/v1/rollouts/credit-plan/advance", new { }))
        {
            var detail = await blocked.AssertProblemAsync(ProblemTypes.GatesFailing, "adoption_depth");
            Assert.DoesNotContain("error_rate", detail, StringComparison.Ordinal);
            Assert.DoesNotContain("readiness", detail, StringComparison.Ordinal);
        }

        var operatorKey = world.Host.Client(await world.Host.Server.CreateKeyAsync("olga", Core.Access.Role.Operator));
        using (var notAdmin = await operatorKey.PostAsync("api/v1/rollouts/credit-plan/advance",
            new StringContent("""{"override":"sponsor accepts"}""", Encoding.UTF8, "application/json"), Ct))
        {
            await notAdmin.AssertProblemAsync(ProblemTypes.InsufficientRole);
        }

        var advanced = await world.Host.PostAsync("api/v1/rollouts/credit-plan/advance", new { @override = "steering committee accepted lower depth" });
        Assert.Equal(2, advanced.GetProperty("plan").GetProperty("served").GetInt32());
        var audit = (await world.Host.GetAsync("api/v1/audit?limit=500")).ToString();
        Assert.Contains("rollout.advance-override", audit, StringComparison.Ordinal);
        Assert.Contains("steering committee accepted lower depth", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_a_problem_and_changes_nothing()
    {
        await using var world = await OrganisationWorld.StartAsync();
        async Task RefusedAsync(string path, object body, ProblemType type, string contains)
        {
            var before = (await world.Host.GetAsync("api/v1/audit?limit=1000")).ToString();
            using var response = await world.PostAsync(path, body);
            await response.AssertProblemAsync(type, contains);
            Assert.Equal(before, (await world.Host.GetAsync("api/v1/audit?limit=1000")).ToString());
        }

        object Plan(string useCase, params string[] waves) => new { name = "p", useCase, endpoint = "credit", version = "credit:1", waves };
        await RefusedAsync("api/v1/rollouts", Plan("credit-decisioning", "risk", "nowhere"), ProblemTypes.NotFound, "nowhere");
        await RefusedAsync("api/v1/rollouts", Plan("credit-decisioning", "risk", "operations,risk"), ProblemTypes.ValidationFailed, "twice");
        await RefusedAsync("api/v1/rollouts", Plan("fraud-detection", "risk"), ProblemTypes.NotFound, "fraud-detection");
        await RefusedAsync("api/v1/usecases", new { name = "u", endpoints = new[] { "credit" }, valuePerPrediction = -1, valueUnit = "EUR" }, ProblemTypes.ValidationFailed, "value");
        using (var negative = await world.Admin.PutAsync("api/v1/costs/models/*",
            new StringContent("""{"currency":"EUR","fixedMonthly":-10}""", Encoding.UTF8, "application/json"), Ct))
        {
            await negative.AssertProblemAsync(ProblemTypes.ValidationFailed, "negative");
        }

        await world.CreatePlanAsync("error_rate<=0.01");
        await RefusedAsync("api/v1/rollouts/credit-plan/checklist", new { department = "risk", item = "vibes" }, ProblemTypes.ValidationFailed, "vibes");
        await world.ReadyAsync("risk", "retail-banking", "operations", "treasury");
        for (var wave = 0; wave < 3; wave++)
        {
            using var traffic = await world.PredictAsync("risk", "alice");
            await world.Host.PostAsync("api/v1/rollouts/credit-plan/advance", new { });
        }

        using (var everyone = await world.PredictAsync("treasury", null))
        {
            Assert.Equal(HttpStatusCode.OK, everyone.StatusCode);
        }

        await RefusedAsync("api/v1/rollouts/credit-plan/advance", new { }, ProblemTypes.RolloutConflict, "finished");
    }

    [Fact]
    public async Task An_oip_request_names_its_user_in_the_parameters_and_is_counted_once()
    {
        await using var world = await OrganisationWorld.StartAsync();
        await world.CreatePlanAsync("error_rate<=0.01");
        await world.ReadyAsync("risk");
        await world.Host.PostAsync("api/v1/rollouts/credit-plan/advance", new { });
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v2/models/credit/infer")
            {
                Content = new StringContent("""{"inputs":[{"name":"features","shape":[1,3],"datatype":"FP32","data":[1,2,3]}],"parameters":{"user":"erin@bank.example"}}""",
                    Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Escala-Department", "risk");
            using var response = await world.Admin.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var adoption = await world.Host.GetAsync("api/v1/adoption?weeks=1");
        var risk = adoption.GetProperty("departments").EnumerateArray().Single(d => d.GetProperty("department").GetString() == "risk");
        Assert.Equal(1, risk.GetProperty("activeUsers7d").GetInt64());
        Assert.Equal(3, risk.GetProperty("predictions").GetInt64());
    }

    [Fact]
    public async Task Satisfaction_ratings_are_summarised_per_department_and_feed_the_gate()
    {
        await using var world = await OrganisationWorld.StartAsync();
        await world.Host.PostAsync("v1/endpoints/credit/satisfaction", new { rating = 4, department = "risk", user = "alice" });
        await world.Host.PostAsync("v1/endpoints/credit/satisfaction", new { thumbs = "down", department = "risk" });
        using (var bad = await world.PostAsync("v1/endpoints/credit/satisfaction", new { rating = 9 }))
        {
            await bad.AssertProblemAsync(ProblemTypes.ValidationFailed, "rating");
        }

        var view = await world.Host.GetAsync("api/v1/endpoints/credit/satisfaction");
        Assert.Equal(2, view.GetProperty("ratings").GetInt64());
        Assert.Equal(2.5, view.GetProperty("mean").GetDouble());
    }
}
