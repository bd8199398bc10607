using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Escala.Core.Access;
using static Escala.Server.Tests.Gateway.Predictions.RecordsApiTests;

namespace Escala.Server.Tests.Gateway.Endpoints;

public sealed class RolloutApiTests
{
    [Fact]
    public async Task Deploy_promote_and_rollback_move_traffic_and_each_is_in_the_audit_log()
    {
        await using var host = await GatewayHost.StartAsync();
        await Traffic.TwoVersionsAsync(host);

        var deployed = await host.DeployAsync("credit", new { version = "credit:2", strategy = "canary", steps = new[] { 50.0, 100.0 } });
        Assert.Contains("canary", deployed.GetProperty("message").GetString(), StringComparison.Ordinal);
        var split = await Traffic.TallyAsync(host.Admin, 200);
        Assert.True(split.GetValueOrDefault("credit:1") > 50 && split.GetValueOrDefault("credit:2") > 50, string.Join(", ", split));

        await host.PostAsync("api/v1/endpoints/credit/promote");
        Assert.Equal(new Dictionary<string, int> { ["credit:2"] = 30 }, await Traffic.TallyAsync(host.Admin, 30));

        await host.PostAsync("api/v1/endpoints/credit/rollback");
        Assert.Equal(new Dictionary<string, int> { ["credit:1"] = 30 }, await Traffic.TallyAsync(host.Admin, 30));

        var audit = await host.GetAsync("api/v1/audit?subject=endpoint/credit&limit=100");
        var actions = audit.EnumerateArray().Select(r => r.GetProperty("action").GetString()).ToList();
        Assert.Equal(["endpoint.create", "endpoint.deploy", "endpoint.deploy", "endpoint.promote", "endpoint.rollback"], actions);
    }

    [Fact]
    public async Task A_refused_change_answers_409_and_leaves_the_endpoint_as_it_was()
    {
        await using var host = await GatewayHost.StartAsync();
        await Traffic.TwoVersionsAsync(host);
        var before = await host.GetAsync("api/v1/endpoints/credit");

        using var promote = await host.Admin.PostAsJsonAsync("api/v1/endpoints/credit/promote", new { }, TestContext.Current.CancellationToken);
        using var rollback = await host.Admin.PostAsJsonAsync("api/v1/endpoints/credit/rollback", new { }, TestContext.Current.CancellationToken);
        using var badStrategy = await host.Admin.PostAsJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:2", strategy = "yolo" }, TestContext.Current.CancellationToken);
        using var badPercent = await host.Admin.PostAsJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:2", strategy = "split", percent = 150 }, TestContext.Current.CancellationToken);
        using var unknownVersion = await host.Admin.PostAsJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:9" }, TestContext.Current.CancellationToken);
        using var notAVersion = await host.Admin.PostAsJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit" }, TestContext.Current.CancellationToken);

        await Problem(promote, HttpStatusCode.Conflict, "rollout-conflict");
        await Problem(rollback, HttpStatusCode.Conflict, "rollout-conflict");
        await Problem(badStrategy, HttpStatusCode.BadRequest, "validation-failed");
        await Problem(badPercent, HttpStatusCode.BadRequest, "validation-failed");
        await Problem(unknownVersion, HttpStatusCode.NotFound, "not-found");
        await Problem(notAVersion, HttpStatusCode.BadRequest, "validation-failed");
        var after = await host.GetAsync("api/v1/endpoints/credit");
        Assert.Equal(before.GetProperty("generation").GetInt64(), after.GetProperty("generation").GetInt64());
        Assert.Equal(before.GetProperty("routing").GetRawText(), after.GetProperty("routing").GetRawText());
    }

    [Fact]
    public async Task A_version_the_engine_cannot_load_is_not_deployed_and_the_old_one_keeps_serving()
    {
        await using var host = await GatewayHost.StartAsync();
        await Traffic.TwoVersionsAsync(host);
        CorruptArtifact(host, version: 2);

        using var response = await host.Admin.PostAsJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:2", strategy = "blue-green" }, TestContext.Current.CancellationToken);

        Assert.True((int)response.StatusCode is >= 400 and < 600);
        Assert.Equal(["credit:1"], (await host.GetAsync("api/v1/endpoints/credit")).GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("key").GetString()));
        Assert.Equal("credit:1", (await Traffic.PredictAsync(host.Admin)).GetProperty("version").GetString());
    }

    [Fact]
    public async Task An_operator_of_another_department_cannot_change_an_endpoint_and_a_viewer_cannot_deploy()
    {
        await using var host = await GatewayHost.StartAsync();
        await host.CreateDepartmentAsync("risk");
        await host.CreateDepartmentAsync("hr");
        await host.CreateEndpointAsync("credit", department: "risk");
        await host.RegisterAsync("credit", TestModels.Logistic(Traffic.W1, 0));
        using var hrOperator = host.Client(await host.Server.CreateKeyAsync("hr-ops", Role.Operator, "hr"));
        using var viewer = host.Client(await host.Server.CreateKeyAsync("viewer", Role.Viewer));

        using var hr = await hrOperator.PostAsJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:1" }, TestContext.Current.CancellationToken);
        using var view = await viewer.PostAsJsonAsync("api/v1/endpoints/credit/deploy", new { version = "credit:1" }, TestContext.Current.CancellationToken);

        await Problem(hr, HttpStatusCode.Forbidden, "department-scope");
        await Problem(view, HttpStatusCode.Forbidden, "insufficient-role");
    }

    [Fact]
    public async Task Endpoints_and_their_routing_survive_a_restart()
    {
        await using var host = await GatewayHost.StartAsync();
        await Traffic.TwoVersionsAsync(host);
        await host.DeployAsync("credit", new { version = "credit:2", strategy = "blue-green" });
        await host.PostAsync("api/v1/endpoints/credit/promote");
        var folder = host.Server.DataDirectory;
        await host.Server.StopAsync();

        await using var restarted = await GatewayHost.StartAsync(folder: folder);

        var endpoint = await restarted.GetAsync("api/v1/endpoints/credit");
        Assert.Contains("standby credit:1 warm", endpoint.GetProperty("routing").GetProperty("default").GetString(), StringComparison.Ordinal);
        Assert.Equal("credit:2", (await Traffic.PredictAsync(restarted.Admin)).GetProperty("version").GetString());
        await restarted.PostAsync("api/v1/endpoints/credit/rollback");
        Assert.Equal("credit:1", (await Traffic.PredictAsync(restarted.Admin)).GetProperty("version").GetString());
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_timed_canary_advances_by_itself_as_an_audited_change_of_the_canary_timer()
    {
        await using var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:CanaryTick"] = "00:00:00.100" });
        await Traffic.TwoVersionsAsync(host);
        await host.DeployAsync("credit", new { version = "credit:2", strategy = "canary", steps = new[] { 10.0, 60.0, 100.0 }, intervalSeconds = 0.5 });

        JsonElement endpoint = default;
        for (var i = 0; i < 100; i++)
        {
            endpoint = await host.GetAsync("api/v1/endpoints/credit");
            if (endpoint.GetProperty("routing").GetProperty("default").GetString()!.StartsWith("single", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Equal("single: 100% credit:2 (rollback returns to credit:1)", endpoint.GetProperty("routing").GetProperty("default").GetString());
        var audit = await host.GetAsync("api/v1/audit?subject=endpoint/credit&limit=100");
        var advances = audit.EnumerateArray().Where(r => r.GetProperty("action").GetString() == "endpoint.advance").ToList();
        Assert.Equal(3, advances.Count);
        Assert.All(advances, a => Assert.StartsWith("canary timer", a.GetProperty("actor").GetString(), StringComparison.Ordinal));
    }

    internal static void CorruptArtifact(GatewayHost host, int version)
    {
        var registry = host.Services.GetService(typeof(Escala.Core.Registry.ModelRegistry)) as Escala.Core.Registry.ModelRegistry;
        var found = registry!.GetVersionAsync("credit", version.ToString(System.Globalization.CultureInfo.InvariantCulture), TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        var file = Directory.EnumerateFiles(Path.Combine(host.Server.DataDirectory, "artifacts"), "*", SearchOption.AllDirectories)
            .Single(f => Path.GetFileName(f).StartsWith(found.Artifact.Sha256, StringComparison.Ordinal) || f.Contains(found.Artifact.Sha256, StringComparison.Ordinal));
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(file, bytes);
    }
}
