using System.Net.Http.Json;
using System.Text;

namespace Escala.Server.Tests.Gateway.Serving;

/// <summary>
/// A version that is another Escala server speaking Open Inference Protocol v2 on 127.0.0.1: routed,
/// protected and logged exactly like a local version.
/// </summary>
public sealed class ExternalBackendTests
{
    [Fact]
    public async Task An_external_v2_backend_answers_through_the_gateway_like_a_local_version()
    {
        await using var remote = await GatewayHost.StartAsync();
        await remote.CreateEndpointAsync("remote");
        await remote.RegisterAsync("remote", TestModels.Logistic(Traffic.W1, 0));
        await remote.DeployAsync("remote", new { version = "remote:1" });
        await using var gateway = await GatewayHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Gateway:ExternalHeaders:remote-credit:Authorization"] = $"Bearer {remote.AdminKey}",
        });
        await gateway.CreateEndpointAsync("credit");

        var deployed = await gateway.DeployAsync("credit", new { external = new { name = "remote-credit", url = remote.Server.Url, model = "remote" } });
        var records = await Traffic.PredictAsync(gateway.Admin, features: [1f, 2f, 3f]);
        using var v2 = await gateway.Admin.PostAsync("v2/models/credit/infer",
            new StringContent("""{"inputs":[{"name":"features","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}""", Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        var oip = await GatewayHost.Ensure(v2);

        var target = deployed.GetProperty("endpoint").GetProperty("targets")[0];
        Assert.Equal("external", target.GetProperty("kind").GetString());
        Assert.True(target.GetProperty("available").GetBoolean());
        Assert.Equal("remote-credit", records.GetProperty("version").GetString());
        var expected = TestModels.LogisticScore([1, 2, 3], Traffic.W1, 0);
        Assert.Equal(expected, records.GetProperty("predictions")[0].GetProperty("score")[0].GetSingle(), 5);
        Assert.Equal("remote-credit", oip.GetProperty("model_version").GetString());
        Assert.Equal(expected, oip.GetProperty("outputs")[0].GetProperty("data")[0].GetSingle(), 5);
    }

    [Fact]
    public async Task When_the_external_backend_goes_down_the_fallback_version_answers()
    {
        var remote = await GatewayHost.StartAsync();
        await remote.CreateEndpointAsync("remote");
        await remote.RegisterAsync("remote", TestModels.Logistic(Traffic.W1, 0));
        await remote.DeployAsync("remote", new { version = "remote:1" });
        await using var gateway = await GatewayHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Gateway:ExternalHeaders:remote-credit:Authorization"] = $"Bearer {remote.AdminKey}",
        });
        await gateway.CreateEndpointAsync("credit");
        await gateway.RegisterAsync("credit", TestModels.Logistic(Traffic.W2, 0));
        await gateway.DeployAsync("credit", new { external = new { name = "remote-credit", url = remote.Server.Url, model = "remote" } });
        await GatewayHost.Ensure(await gateway.Admin.PutAsJsonAsync("api/v1/endpoints/credit/fallback", new { version = "credit:1" }, TestContext.Current.CancellationToken));
        Assert.Equal("remote-credit", (await Traffic.PredictAsync(gateway.Admin)).GetProperty("version").GetString());

        await remote.DisposeAsync();
        var body = await Traffic.PredictAsync(gateway.Admin);

        Assert.Equal("credit:1", body.GetProperty("version").GetString());
        Assert.True(body.GetProperty("fallback").GetBoolean());
        Assert.StartsWith("error: remote-credit: cannot reach", body.GetProperty("fallbackReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_external_backend_that_does_not_answer_its_checks_is_not_deployed()
    {
        await using var gateway = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:ExternalCheckTimeout"] = "00:00:02" });
        await gateway.CreateEndpointAsync("credit");

        // Port 9 (discard) on loopback: nothing listens there.
        using var response = await gateway.Admin.PostAsJsonAsync("api/v1/endpoints/credit/deploy",
            new { external = new { name = "nowhere", url = "http://127.0.0.1:9", model = "m" } }, TestContext.Current.CancellationToken);

        var problem = await Predictions.RecordsApiTests.Problem(response, System.Net.HttpStatusCode.UnprocessableEntity, "version-unavailable");
        Assert.Contains("nowhere", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await gateway.GetAsync("api/v1/endpoints/credit")).GetProperty("targets").GetArrayLength());
    }
}
