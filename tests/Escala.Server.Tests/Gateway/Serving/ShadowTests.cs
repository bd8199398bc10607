using System.Text.Json;
using Escala.Testing;

namespace Escala.Server.Tests.Gateway.Serving;

public sealed class ShadowTests
{
    [Fact]
    public async Task A_shadow_never_changes_an_answer_and_its_answers_are_logged_with_a_comparison()
    {
        await using var host = await GatewayHost.StartAsync(testKernels: true);
        await host.CreateEndpointAsync("scale");
        await host.RegisterAsync("scale", TestModels.Scale(1));
        await host.RegisterAsync("scale", TestModels.Scale(10));
        await host.DeployAsync("scale", new { version = "scale:1" });
        await host.DeployAsync("scale", new { version = "scale:2", strategy = "shadow" });

        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var body = await GatewayHost.Ensure(await Predictions.RecordsApiTests.Send(host, $$"""{"records":[{"x":[{{i}},1]}]}""", "scale"));
            Assert.Equal("scale:1", body.GetProperty("version").GetString());
            Assert.False(body.GetProperty("fallback").GetBoolean());
            Assert.Equal([i, 1f], body.GetProperty("predictions")[0].GetProperty("y").EnumerateArray().Select(v => v.GetSingle()));
            ids.Add(body.GetProperty("requestId").GetString()!);
        }

        var shadowLines = await WaitForLinesAsync(host, "scale", lines => lines.Count(l => l.GetProperty("kind").GetString() == "shadow") >= 20);
        var shadows = shadowLines.Where(l => l.GetProperty("kind").GetString() == "shadow").ToList();
        Assert.Equal(20, shadows.Count);
        Assert.All(shadows, s => Assert.Equal("scale:2", s.GetProperty("version").GetString()));
        Assert.Equal(ids.Order(), shadows.Select(s => s.GetProperty("requestId").GetString()!).Order());
        var line = shadows.Single(s => s.GetProperty("requestId").GetString() == ids[3]);
        Assert.Equal([30f, 10f], line.GetProperty("outputs")[0].GetProperty("y").EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal(27.0, line.GetProperty("comparison").GetProperty("y").GetProperty("maxAbsDiff").GetDouble(), 3);
    }

    [Fact]
    public async Task A_shadows_agreement_with_its_primary_is_shown_by_the_endpoint_and_on_metrics()
    {
        await using var host = await GatewayHost.StartAsync(testKernels: true);
        await host.CreateEndpointAsync("scale");
        await host.RegisterAsync("scale", TestModels.Scale(1));
        await host.RegisterAsync("scale", TestModels.Scale(10));
        await host.DeployAsync("scale", new { version = "scale:1" });
        await host.DeployAsync("scale", new { version = "scale:2", strategy = "shadow" });

        for (var i = 0; i < 20; i++)
        {
            await GatewayHost.Ensure(await Predictions.RecordsApiTests.Send(host, $$"""{"records":[{"x":[{{i}},1]}]}""", "scale"));
        }

        // Row i answers [i, 1] and the shadow [10i, 10]: |diff| 9i + 9 over 2 scores, so the mean over 20 rows is 1890 / 40.
        JsonElement shadow = default;
        await Poll.UntilAsync(async () =>
        {
            var shadows = (await host.GetAsync("api/v1/endpoints/scale")).GetProperty("shadows");
            shadow = shadows.GetArrayLength() == 1 ? shadows[0] : default;
            return shadow.ValueKind == JsonValueKind.Object && shadow.GetProperty("copies").GetInt64() == 20;
        }, TimeSpan.FromSeconds(30), "20 compared shadow copies");
        Assert.Equal(("scale:1", "scale:2"), (shadow.GetProperty("primary").GetString(), shadow.GetProperty("shadow").GetString()));
        Assert.Equal(47.25, shadow.GetProperty("meanAbsDiff").GetDouble(), 6);
        Assert.Equal(JsonValueKind.Null, shadow.GetProperty("labelAgreement").ValueKind);
        Assert.Equal(20, shadow.GetProperty("current").GetProperty("copies").GetInt64());
        Assert.Equal(47.25, shadow.GetProperty("current").GetProperty("meanAbsDiff").GetDouble(), 6);

        var metrics = await host.Admin.GetStringAsync("metrics", TestContext.Current.CancellationToken);
        const string Labels = "{endpoint=\"scale\",primary=\"scale:1\",shadow=\"scale:2\"}";
        Assert.Contains($"escala_shadow_scores_compared_total{Labels} 40", metrics, StringComparison.Ordinal);
        Assert.Contains($"escala_shadow_score_abs_diff_sum{Labels} 1890", metrics, StringComparison.Ordinal);
        Assert.Contains("escala_shadow_copies_total{result=\"queued\"} 20", metrics, StringComparison.Ordinal);
        Assert.Contains("escala_shadow_queue_depth 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shadow_that_cannot_take_its_primarys_requests_is_refused_at_deploy_naming_the_input()
    {
        await using var host = await GatewayHost.StartAsync(testKernels: true);
        await host.CreateEndpointAsync("scale");
        await host.RegisterAsync("scale", TestModels.Scale(1));
        // The same operator on rows of three values: it cannot take the primary's rows of two.
        await host.RegisterAsync("scale", new Escala.Onnx.Building.OnnxModelBuilder()
            .Input("x", Escala.Onnx.Tensors.ElementType.Float, "N", 3)
            .Output("y", Escala.Onnx.Tensors.ElementType.Float, "N", 3)
            .Node("TestScale", ["x"], ["y"], a => a.Float("scale", 2).Int("sleep_ms", 0).Int("fail", 0))
            .ToBytes());
        await host.DeployAsync("scale", new { version = "scale:1" });
        var before = (await host.GetAsync("api/v1/endpoints/scale")).GetProperty("generation").GetInt64();

        using var refused = await host.Admin.PostJsonAsync("api/v1/endpoints/scale/deploy", new { version = "scale:2", strategy = "shadow" });
        await refused.AssertProblemAsync(Escala.Core.Problems.ProblemTypes.ValidationFailed,
            "The shadow scale:2 cannot run on copies of scale:1's requests: its input 'x' takes 3 values per row, the primary's takes 2.");

        var after = await host.GetAsync("api/v1/endpoints/scale");
        Assert.Equal(before, after.GetProperty("generation").GetInt64());
        Assert.Equal("single: 100% scale:1", after.GetProperty("routing").GetProperty("default").GetString());
    }

    [Fact]
    public async Task A_failing_shadow_does_not_touch_the_answers()
    {
        await using var host = await GatewayHost.StartAsync(testKernels: true);
        await host.CreateEndpointAsync("scale");
        await host.RegisterAsync("scale", TestModels.Scale(1));
        await host.RegisterAsync("scale", TestModels.Scale(1, fail: true));
        await host.DeployAsync("scale", new { version = "scale:1" });
        await host.DeployAsync("scale", new { version = "scale:2", strategy = "shadow" });

        for (var i = 0; i < 10; i++)
        {
            var body = await GatewayHost.Ensure(await Predictions.RecordsApiTests.Send(host, """{"records":[{"x":[1,2]}]}""", "scale"));
            Assert.Equal("scale:1", body.GetProperty("version").GetString());
            Assert.Equal("routed", body.GetProperty("source").GetString());
        }

        var lines = await WaitForLinesAsync(host, "scale", l => l.Count(x => x.GetProperty("kind").GetString() == "shadow") >= 10);
        Assert.All(lines.Where(l => l.GetProperty("kind").GetString() == "shadow"), s => Assert.Equal("shadow-failed", s.GetProperty("source").GetString()));
    }

    internal static async Task<List<JsonElement>> WaitForLinesAsync(GatewayHost host, string endpoint, Func<List<JsonElement>, bool> done)
    {
        List<JsonElement> lines = [];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            lines = [.. (await host.GetAsync($"api/v1/endpoints/{endpoint}/predictions?limit=1000")).EnumerateArray()];
            if (done(lines))
            {
                break;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        return lines;
    }
}
