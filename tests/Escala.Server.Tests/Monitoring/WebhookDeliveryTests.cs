using Escala.Core.Monitoring.Alerts;
using Escala.Testing;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Tests.Monitoring;

/// <summary>
/// Alert delivery to real HTTP listeners on 127.0.0.1: retries with backoff on 5xx, no retry on other 4xx, failure
/// recorded with the event, a slow or dead webhook never holding up others, a full queue failing fast, and pending
/// deliveries sent again after a restart.
/// </summary>
public sealed class WebhookDeliveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task AddRuleAsync(MonitoringWorld world, string name, params string[] hooks) =>
        (await world.Admin.PostJsonAsync("api/v1/alerts/rules", new
        {
            endpoint = MonitoringWorld.Endpoint, name, metric = "error.rate", threshold = 0.5, lookbackSeconds = 60, webhooks = hooks,
        })).EnsureSuccessStatusCode();

    /// <summary>Sends <paramref name="requests"/> requests that fail for real: a broken external backend (played by <paramref name="backend"/>) serves them.</summary>
    private static async Task FailAsync(MonitoringWorld world, HttpSink backend, int requests)
    {
        await world.RegisterAsync();
        await world.DeployBrokenBackendAsync(backend, "partner");
        Assert.Equal(requests, (await world.ServeAsync(requests, department: "partner")).Failed);
    }

    private static async Task<AlertEvent[]> EventsAsync(MonitoringWorld world) => await world.Admin.GetAsync<AlertEvent[]>("api/v1/alerts");

    [Fact]
    public async Task A_failing_webhook_is_retried_with_backoff_and_marked_failed_while_a_healthy_one_gets_the_event()
    {
        await using var sink = await HttpSink.StartAsync();
        sink.Answer("/down", 503);
        await using var world = await MonitoringWorld.StartAsync(o => o.DeliveryAttempts = 3);
        await AddRuleAsync(world, "errors", sink.Url + "/ok", sink.Url + "/down");

        await FailAsync(world, sink, 10);

        await Eventually.TrueAsync(async () => (await EventsAsync(world)).FirstOrDefault()?.Delivery == DeliveryStatus.Failed, "the delivery to fail");
        var alert = (await EventsAsync(world)).Single();
        Assert.Equal(AlertTransitionKind.Fired, alert.Kind);
        Assert.Equal(1.0, alert.Value);
        // The alert fires as soon as the evaluation sees failures, which may be before all ten arrived: all n of n failed.
        Assert.Matches(@"^(\d+) of \1 requests failed", alert.Detail);
        Assert.Equal(4, alert.Attempts);
        Assert.Contains("answered 503", alert.LastError, StringComparison.Ordinal);
        Assert.Single(sink.On("/ok"));
        var retries = sink.On("/down");
        Assert.Equal([$"{alert.Id}-1", $"{alert.Id}-2", $"{alert.Id}-3"], retries.Select(r => r.Headers["X-Escala-Delivery"]));
        Assert.True(retries[2].At - retries[1].At >= retries[1].At - retries[0].At - TimeSpan.FromMilliseconds(20), "the backoff doubles");
        Assert.True(retries[1].At - retries[0].At >= TimeSpan.FromMilliseconds(45), "the first retry waits the backoff");
        Assert.Contains("escala_alert_deliveries_total{result=\"failed\"} 1", await world.Admin.GetStringAsync("metrics", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_links_are_absolute_under_the_configured_public_url()
    {
        await using var sink = await HttpSink.StartAsync();
        await using var world = await MonitoringWorld.StartAsync(o => o.PublicUrl = new Uri("https://escala.example.com/"));
        await AddRuleAsync(world, "errors", sink.Url + "/ok");

        await FailAsync(world, sink, 4);

        await HttpSink.WaitForAsync(() => sink.On("/ok").Count == 1, "the webhook");
        var links = sink.On("/ok")[0].Json.GetProperty("links");
        Assert.Equal("https://escala.example.com/api/v1/endpoints/scoring/status", links.GetProperty("status").GetString());
        Assert.Equal("https://escala.example.com/api/v1/alerts?endpoint=scoring", links.GetProperty("alerts").GetString());

        // Calls to the external backend and the webhook are not logged line by line (HttpClient's four lines a call).
        Assert.DoesNotContain(world.Server.Logs.Entries, e => e.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal) && e.Level < LogLevel.Warning);
    }

    [Fact]
    public async Task A_client_error_answer_is_final_and_an_unreachable_webhook_is_retried_then_failed()
    {
        await using var sink = await HttpSink.StartAsync();
        sink.Answer("/gone", 410);
        await using var world = await MonitoringWorld.StartAsync(o => o.DeliveryAttempts = 2);
        await AddRuleAsync(world, "gone", sink.Url + "/gone");
        await AddRuleAsync(world, "nowhere", $"http://127.0.0.1:{ExternalTool.FreePort()}/hook");

        await FailAsync(world, sink, 4);

        await Eventually.TrueAsync(async () => (await EventsAsync(world)).Count(e => e.Delivery == DeliveryStatus.Failed) == 2, "both deliveries to fail");
        var events = await EventsAsync(world);
        var gone = events.Single(e => e.Rule == "gone");
        Assert.Equal(1, gone.Attempts);
        Assert.Single(sink.On("/gone"));
        var nowhere = events.Single(e => e.Rule == "nowhere");
        Assert.Equal(2, nowhere.Attempts);
        Assert.Contains("could not be reached", nowhere.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_webhook_does_not_hold_up_another_rules_delivery()
    {
        await using var sink = await HttpSink.StartAsync();
        sink.Delay("/slow", TimeSpan.FromSeconds(4));
        await using var world = await MonitoringWorld.StartAsync();
        await AddRuleAsync(world, "slow", sink.Url + "/slow");
        await AddRuleAsync(world, "fast", sink.Url + "/fast");

        await FailAsync(world, sink, 3);

        await HttpSink.WaitForAsync(() => sink.On("/fast").Count == 1 && sink.On("/slow").Count == 1, "both webhooks to be called");
        await Eventually.TrueAsync(async () => (await EventsAsync(world)).Single(e => e.Rule == "fast").Delivery == DeliveryStatus.Delivered, "the fast delivery");
        Assert.Equal(DeliveryStatus.Pending, (await EventsAsync(world)).Single(e => e.Rule == "slow").Delivery);
    }

    [Fact]
    public async Task A_full_delivery_queue_fails_the_event_at_once_and_keeps_it_in_the_history()
    {
        await using var sink = await HttpSink.StartAsync();
        sink.Delay("/slow", TimeSpan.FromSeconds(3));
        await using var world = await MonitoringWorld.StartAsync(o =>
        {
            o.DeliveryQueue = 1;
            o.DeliveryConcurrency = 1;
        });
        foreach (var name in new[] { "one", "two", "three", "four" })
        {
            await AddRuleAsync(world, name, sink.Url + "/slow");
        }

        await FailAsync(world, sink, 3);

        await Eventually.TrueAsync(async () => (await EventsAsync(world)).Length == 4, "four events");
        await Eventually.TrueAsync(async () => (await EventsAsync(world)).Any(e => e.Delivery == DeliveryStatus.Failed), "a delivery refused by the full queue");
        Assert.Contains(await EventsAsync(world), e => e.LastError?.Contains("queue was full", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Deliveries_still_pending_at_shutdown_are_sent_after_the_restart()
    {
        await using var sink = await HttpSink.StartAsync();
        sink.Answer("/later", 503);
        await using var world = await MonitoringWorld.StartAsync(o =>
        {
            o.DeliveryAttempts = 50;
            o.DeliveryBackoff = TimeSpan.FromSeconds(30);
            o.DeliveryMaxBackoff = TimeSpan.FromSeconds(30);
        });
        await AddRuleAsync(world, "later", sink.Url + "/later");
        await FailAsync(world, sink, 3);
        await HttpSink.WaitForAsync(() => sink.On("/later").Count == 1, "the first attempt");
        Assert.Equal(DeliveryStatus.Pending, (await EventsAsync(world)).Single().Delivery);

        sink.Answer("/later", 200);
        await world.RestartAsync();

        await Eventually.TrueAsync(async () => (await EventsAsync(world)).Single().Delivery == DeliveryStatus.Delivered, "the re-sent delivery");
        Assert.Equal(2, sink.On("/later").Count);
        Assert.Equal(sink.On("/later")[0].Json.GetProperty("id").GetInt64(), sink.On("/later")[1].Json.GetProperty("id").GetInt64());
    }
}
