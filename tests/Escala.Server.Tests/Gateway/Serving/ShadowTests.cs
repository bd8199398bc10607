using System.Text.Json;

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
