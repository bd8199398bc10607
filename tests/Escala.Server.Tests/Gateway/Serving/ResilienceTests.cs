using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Escala.Server.Tests.Gateway.Predictions.RecordsApiTests;

namespace Escala.Server.Tests.Gateway.Serving;

/// <summary>
/// Failing and slow versions (test operators that throw, or sleep in the kernel) behind the real
/// gateway: the fallback chain answers and says so, the breaker stops calling a failing version.
/// </summary>
public sealed class ResilienceTests
{
    private const string Pair = """{"records":[{"x":[1,2]}]}""";

    [Fact]
    public async Task A_failing_version_is_answered_by_the_fallback_version_flagged_as_a_fallback()
    {
        await using var host = await ScaleEndpointAsync(failing: true);

        using var response = await Send(host, Pair, "scale");
        var body = await GatewayHost.Ensure(response);

        Assert.Equal("scale:2", body.GetProperty("version").GetString());
        Assert.True(body.GetProperty("fallback").GetBoolean());
        Assert.Equal("fallback-version", body.GetProperty("source").GetString());
        Assert.StartsWith("error:", body.GetProperty("fallbackReason").GetString(), StringComparison.Ordinal);
        Assert.Equal("true", response.Headers.GetValues("X-Escala-Fallback").Single());
        Assert.Equal([2f, 4f], body.GetProperty("predictions")[0].GetProperty("y").EnumerateArray().Select(v => v.GetSingle()));
    }

    [Fact]
    public async Task A_version_slower_than_the_deadline_is_answered_by_the_fallback_within_the_deadline()
    {
        await using var host = await ScaleEndpointAsync(sleepMs: 3000, deadlineMs: 100);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var body = await GatewayHost.Ensure(await Send(host, Pair, "scale"));
        started.Stop();

        Assert.Equal("scale:2", body.GetProperty("version").GetString());
        Assert.StartsWith("timeout:", body.GetProperty("fallbackReason").GetString(), StringComparison.Ordinal);
        // Not a timing assertion on the fast path: only that the caller did not wait for the 3 s model.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2.5), $"answered after {started.Elapsed}");
    }

    [Fact]
    public async Task Without_a_fallback_version_the_default_answer_is_returned_for_every_row_and_flagged()
    {
        await using var host = await GatewayHost.StartAsync(testKernels: true);
        await host.CreateEndpointAsync("scale", new { defaultAnswer = new { y = new[] { 0, 0 }, note = "default" } });
        await host.RegisterAsync("scale", TestModels.Scale(1, fail: true));
        await host.DeployAsync("scale", new { version = "scale:1" });

        var records = await GatewayHost.Ensure(await Send(host, """{"records":[{"x":[1,2]},{"x":[3,4]}]}""", "scale"));
        using var v2 = await host.Admin.PostAsync("v2/models/scale/infer",
            Json("""{"inputs":[{"name":"x","shape":[2,2],"datatype":"FP32","data":[1,2,3,4]}]}"""), TestContext.Current.CancellationToken);
        var oip = await GatewayHost.Ensure(v2);

        Assert.Equal("default-answer", records.GetProperty("source").GetString());
        Assert.True(records.GetProperty("fallback").GetBoolean());
        Assert.Equal(JsonValueKind.Null, records.GetProperty("version").ValueKind);
        Assert.Equal(2, records.GetProperty("predictions").GetArrayLength());
        Assert.Equal("default", records.GetProperty("predictions")[1].GetProperty("note").GetString());
        Assert.Equal("default-answer", v2.Headers.GetValues("X-Escala-Version").Single());
        Assert.True(oip.GetProperty("parameters").GetProperty("escala_fallback").GetBoolean());
        var y = oip.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "y");
        Assert.Equal("FP32", y.GetProperty("datatype").GetString());
        Assert.Equal([2, 2], y.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
    }

    [Fact]
    public async Task With_nothing_left_in_the_chain_the_caller_gets_503_naming_the_failure()
    {
        await using var host = await GatewayHost.StartAsync(testKernels: true);
        await host.CreateEndpointAsync("scale");
        await host.RegisterAsync("scale", TestModels.Scale(1, fail: true));
        await host.DeployAsync("scale", new { version = "scale:1" });

        using var response = await Send(host, Pair, "scale");

        var problem = await Problem(response, HttpStatusCode.ServiceUnavailable, "prediction-unavailable");
        Assert.Contains("injected failure", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_breaker_opens_on_a_failing_version_so_it_is_no_longer_called_and_answers_keep_coming()
    {
        await using var host = await ScaleEndpointAsync(failing: true, settings: new Dictionary<string, string?>
        {
            ["Gateway:CircuitBreaker:MinimumThroughput"] = "5",
            ["Gateway:CircuitBreaker:BreakDuration"] = "00:01:00",
        });

        var reasons = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var body = await GatewayHost.Ensure(await Send(host, Pair, "scale"));
            Assert.Equal("scale:2", body.GetProperty("version").GetString());
            reasons.Add(body.GetProperty("fallbackReason").GetString()!.Split(':')[0]);
        }

        var target = (await host.GetAsync("api/v1/endpoints/scale")).GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("key").GetString() == "scale:1");
        Assert.Equal("open", target.GetProperty("breaker").GetString());
        Assert.Equal("error", reasons[0]);
        Assert.Equal("circuitopen", reasons[^1]);
        Assert.True(reasons.Count(r => r == "error") <= 6, string.Join(",", reasons));
        Assert.Equal(0, target.GetProperty("answered").GetInt64());
    }

    [Fact]
    public async Task A_version_whose_artifact_is_corrupt_at_start_does_not_take_the_endpoint_down()
    {
        await using var host = await GatewayHost.StartAsync();
        await Traffic.TwoVersionsAsync(host);
        await host.DeployAsync("credit", new { version = "credit:2", strategy = "canary", steps = new[] { 50.0 } });
        await host.Admin.PutAsJsonAsync("api/v1/endpoints/credit/fallback", new { version = "credit:1" }, TestContext.Current.CancellationToken);
        var folder = host.Server.DataDirectory;
        Endpoints.RolloutApiTests.CorruptArtifact(host, version: 2);
        await host.Server.StopAsync();

        await using var restarted = await GatewayHost.StartAsync(folder: folder);

        var tally = await Traffic.TallyAsync(restarted.Admin, 40);
        Assert.Equal(new Dictionary<string, int> { ["credit:1"] = 40 }, tally);
        var target = (await restarted.GetAsync("api/v1/endpoints/credit")).GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("key").GetString() == "credit:2");
        Assert.False(target.GetProperty("available").GetBoolean());
        Assert.Contains("unavailable", target.GetProperty("description").GetString(), StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    internal static async Task<GatewayHost> ScaleEndpointAsync(bool failing = false, int sleepMs = 0, int? deadlineMs = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var host = await GatewayHost.StartAsync(testKernels: true, settings: settings);
        await host.CreateEndpointAsync("scale", deadlineMs is null ? null : new { deadlineMs });
        await host.RegisterAsync("scale", TestModels.Scale(1, sleepMs, failing));
        await host.RegisterAsync("scale", TestModels.Scale(2));
        await host.DeployAsync("scale", new { version = "scale:1" });
        using var fallback = await host.Admin.PutAsJsonAsync("api/v1/endpoints/scale/fallback", new { version = "scale:2" }, TestContext.Current.CancellationToken);
        await GatewayHost.Ensure(fallback);
        return host;
    }
}
