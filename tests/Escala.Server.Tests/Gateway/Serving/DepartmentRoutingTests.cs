using System.Net;
using Escala.Core.Access;
using static Escala.Server.Tests.Gateway.Predictions.RecordsApiTests;

namespace Escala.Server.Tests.Gateway.Serving;

public sealed class DepartmentRoutingTests
{
    [Fact]
    public async Task A_departments_key_reaches_the_version_rolled_out_to_it_and_others_keep_the_default()
    {
        await using var host = await GatewayHost.StartAsync();
        await host.CreateDepartmentAsync("pilot");
        await host.CreateDepartmentAsync("finance");
        await Traffic.TwoVersionsAsync(host);
        await host.DeployAsync("credit", new { version = "credit:2", department = "pilot" });
        using var pilot = host.Client(await host.Server.CreateKeyAsync("pilot-app", Role.Viewer, "pilot"));
        using var finance = host.Client(await host.Server.CreateKeyAsync("finance-app", Role.Viewer, "finance"));

        Assert.Equal(new Dictionary<string, int> { ["credit:2"] = 20 }, await Traffic.TallyAsync(pilot, 20));
        Assert.Equal(new Dictionary<string, int> { ["credit:1"] = 20 }, await Traffic.TallyAsync(finance, 20));
        Assert.Equal(new Dictionary<string, int> { ["credit:1"] = 20 }, await Traffic.TallyAsync(host.Admin, 20));
    }

    [Fact]
    public async Task The_department_header_routes_only_when_the_key_may_use_that_department()
    {
        await using var host = await GatewayHost.StartAsync();
        await host.CreateDepartmentAsync("pilot");
        await host.CreateDepartmentAsync("finance");
        await Traffic.TwoVersionsAsync(host);
        await host.DeployAsync("credit", new { version = "credit:2", department = "pilot" });
        using var twoDepartments = host.Client(await host.Server.CreateKeyAsync("shared-app", Role.Viewer, "pilot", "finance"));
        using var financeOnly = host.Client(await host.Server.CreateKeyAsync("finance-app", Role.Viewer, "finance"));

        var asPilot = await Traffic.PredictAsync(twoDepartments, department: "pilot");
        var asFinance = await Traffic.PredictAsync(twoDepartments, department: "finance");
        var orgWideAsPilot = await Traffic.PredictAsync(host.Admin, department: "pilot");
        using var refused = await financeOnly.SendAsync(new HttpRequestMessage(HttpMethod.Post, "v1/endpoints/credit/predict")
        {
            Content = Json("""{"records":[{"features":[1,2,3]}]}"""),
            Headers = { { "X-Escala-Department", "pilot" } },
        }, TestContext.Current.CancellationToken);

        Assert.Equal("credit:2", asPilot.GetProperty("version").GetString());
        Assert.Equal("credit:1", asFinance.GetProperty("version").GetString());
        Assert.Equal("credit:2", orgWideAsPilot.GetProperty("version").GetString());
        await Problem(refused, HttpStatusCode.Forbidden, "department-scope");
    }

    [Fact]
    public async Task An_endpoint_rolled_out_to_one_department_tells_other_callers_it_is_not_deployed_for_them()
    {
        await using var host = await GatewayHost.StartAsync();
        await host.CreateDepartmentAsync("pilot");
        await host.CreateDepartmentAsync("finance");
        await host.CreateEndpointAsync("credit");
        await host.RegisterAsync("credit", TestModels.Logistic(Traffic.W1, 0));
        await host.DeployAsync("credit", new { version = "credit:1", department = "pilot" });
        using var finance = host.Client(await host.Server.CreateKeyAsync("finance-app", Role.Viewer, "finance"));

        using var response = await finance.PostAsync("v1/endpoints/credit/predict", Json("""{"records":[{"features":[1,2,3]}]}"""), TestContext.Current.CancellationToken);

        var problem = await Problem(response, HttpStatusCode.NotFound, "not-deployed");
        Assert.Contains("rolled out to pilot only", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("credit:1", (await Traffic.PredictAsync(host.Admin, department: "pilot")).GetProperty("version").GetString());
    }

    [Fact]
    public async Task An_ab_test_gives_each_subject_the_same_variant_on_every_request()
    {
        await using var host = await GatewayHost.StartAsync();
        await Traffic.TwoVersionsAsync(host);
        await host.DeployAsync("credit", new { version = "credit:2", strategy = "ab", percent = 50 });

        var seen = new Dictionary<string, string>();
        for (var round = 0; round < 3; round++)
        {
            for (var user = 0; user < 40; user++)
            {
                var version = (await Traffic.PredictAsync(host.Admin, subject: $"customer-{user}")).GetProperty("version").GetString()!;
                Assert.Equal(seen.GetValueOrDefault($"customer-{user}", version), version);
                seen[$"customer-{user}"] = version;
            }
        }

        // 40 independent 50/50 assignments: both variants appear (all alike has probability 2^-39).
        Assert.Equal(2, seen.Values.Distinct().Count());
    }
}
