using System.Collections.Concurrent;
using Escala.Core.PredictionLog;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Tests.Gateway.PredictionLog;

public sealed class PredictionLogTests
{
    [Fact]
    public async Task Every_request_is_logged_with_its_id_version_department_inputs_outputs_and_latency()
    {
        await using var host = await GatewayHost.StartAsync();
        await host.CreateDepartmentAsync("pilot");
        await Traffic.TwoVersionsAsync(host);

        var answers = new List<System.Text.Json.JsonElement>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(await Traffic.PredictAsync(host.Admin, department: "pilot", subject: $"u{i}", features: [i, 1, 2]));
        }

        var lines = await Serving.ShadowTests.WaitForLinesAsync(host, "credit", l => l.Count >= 10);
        Assert.Equal(10, lines.Count);
        var third = lines.Single(l => l.GetProperty("requestId").GetString() == answers[3].GetProperty("requestId").GetString());
        Assert.Equal("served", third.GetProperty("kind").GetString());
        Assert.Equal("credit:1", third.GetProperty("version").GetString());
        Assert.Equal("pilot", third.GetProperty("department").GetString());
        Assert.Equal("u3", third.GetProperty("subject").GetString());
        Assert.Equal("routed", third.GetProperty("source").GetString());
        Assert.Equal(3f, third.GetProperty("inputs")[0].GetProperty("features")[0].GetSingle());
        Assert.Equal(answers[3].GetProperty("predictions")[0].GetProperty("score")[0].GetSingle(), third.GetProperty("outputs")[0].GetProperty("score")[0].GetSingle());
        Assert.True(third.GetProperty("latencyMs").GetDouble() > 0);

        var one = await host.GetAsync($"api/v1/endpoints/credit/predictions?requestId={answers[7].GetProperty("requestId").GetString()}");
        Assert.Single(one.EnumerateArray());
    }

    [Fact]
    public async Task A_sample_rate_of_zero_logs_nothing_and_a_fraction_logs_about_that_share()
    {
        await using var host = await GatewayHost.StartAsync();
        await host.CreateEndpointAsync("quiet", new { logSampleRate = 0.0 });
        await host.RegisterAsync("quiet", TestModels.Logistic(Traffic.W1, 0));
        await host.DeployAsync("quiet", new { version = "quiet:1" });
        await host.CreateEndpointAsync("half", new { logSampleRate = 0.5 });
        await host.RegisterAsync("half", TestModels.Logistic(Traffic.W1, 0));
        await host.DeployAsync("half", new { version = "half:1" });

        for (var i = 0; i < 200; i++)
        {
            await Traffic.PredictAsync(host.Admin, "quiet");
            await Traffic.PredictAsync(host.Admin, "half");
        }

        var writer = host.Services.GetRequiredService<Escala.Server.PredictionLog.PredictionLogWriter>();
        for (var i = 0; i < 50 && writer.Buffered > 0; i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Empty((await host.GetAsync("api/v1/endpoints/quiet/predictions?limit=1000")).EnumerateArray());
        // Binomial(200, 0.5) over random request ids: 4.5 sd is 32 lines either side of 100.
        Assert.InRange((await host.GetAsync("api/v1/endpoints/half/predictions?limit=1000")).GetArrayLength(), 68, 132);
    }

    [Fact]
    public async Task A_graceful_shutdown_right_after_a_burst_loses_no_line()
    {
        var host = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["PredictionLog:Linger"] = "00:00:05" });
        await Traffic.TwoVersionsAsync(host);
        var ids = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                ids.Add((await Traffic.PredictAsync(host.Admin)).GetProperty("requestId").GetString()!);
            }
        })));
        var folder = host.Server.DataDirectory;

        await host.Server.StopAsync();

        await using var restarted = await GatewayHost.StartAsync(folder: folder);
        var store = restarted.Services.GetRequiredService<IPredictionLogStore>();
        var lines = await store.QueryAsync(new PredictionLogQuery("credit", Limit: 10_000), TestContext.Current.CancellationToken);
        Assert.Equal(ids.Order(), lines.Select(l => l.RequestId).Order());
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Retention_deletes_old_lines_from_the_real_store()
    {
        await using var host = await GatewayHost.StartAsync();
        var store = host.Services.GetRequiredService<IPredictionLogStore>();
        var now = DateTimeOffset.UtcNow;
        await store.AppendAsync(
        [
            new PredictionRecord("old", now.AddDays(-40), "credit", "credit:1", null, null, PredictionKind.Served, "routed", null, "[]"u8.ToArray(), "[]"u8.ToArray(), 5),
            new PredictionRecord("new", now.AddDays(-1), "credit", "credit:1", null, null, PredictionKind.Served, "routed", null, "[]"u8.ToArray(), "[]"u8.ToArray(), 5),
        ], TestContext.Current.CancellationToken);

        var retention = host.Services.GetRequiredService<Escala.Server.PredictionLog.PredictionLogRetention>();
        var deleted = await retention.SweepAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, deleted);
        Assert.Equal(["new"], (await store.QueryAsync(new PredictionLogQuery("credit"), TestContext.Current.CancellationToken)).Select(l => l.RequestId));
    }
}
