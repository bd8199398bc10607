using System.Collections.Concurrent;
using System.Net.Http.Json;

namespace Escala.Server.Tests.Gateway.Serving;

public sealed class ZeroDowntimeTests
{
    [Fact]
    public async Task Promote_and_rollback_under_load_drop_no_request_and_every_answer_matches_the_version_it_names()
    {
        await using var host = await GatewayHost.StartAsync();
        await Traffic.TwoVersionsAsync(host);
        await host.DeployAsync("credit", new { version = "credit:2", strategy = "blue-green" });
        var expected = new Dictionary<string, float>
        {
            ["credit:1"] = TestModels.LogisticScore([1, 2, 3], Traffic.W1, 0),
            ["credit:2"] = TestModels.LogisticScore([1, 2, 3], Traffic.W2, 0),
        };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var failures = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<string, int>();

        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var client = host.Client(host.AdminKey);
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.PostAsJsonAsync("v1/endpoints/credit/predict", new { records = new[] { new { features = new[] { 1f, 2f, 3f } } } });
                var text = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode)
                {
                    failures.Enqueue($"{(int)response.StatusCode}: {text}");
                    continue;
                }

                var body = System.Text.Json.JsonDocument.Parse(text).RootElement;
                var version = body.GetProperty("version").GetString()!;
                var score = body.GetProperty("predictions")[0].GetProperty("score")[0].GetSingle();
                if (Math.Abs(score - expected[version]) > 1e-5)
                {
                    failures.Enqueue($"{version} answered {score}, which is the other version's answer");
                }

                seen.AddOrUpdate(version, 1, (_, n) => n + 1);
            }
        })).ToArray();

        var switches = 0;
        while (!stop.IsCancellationRequested)
        {
            await host.PostAsync($"api/v1/endpoints/credit/{(switches % 2 == 0 ? "promote" : "rollback")}");
            switches++;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        await Task.WhenAll(clients);

        Assert.Empty(failures);
        Assert.True(switches >= 10, $"only {switches} switches");
        Assert.True(seen.GetValueOrDefault("credit:1") > 0 && seen.GetValueOrDefault("credit:2") > 0, string.Join(", ", seen));
    }
}
