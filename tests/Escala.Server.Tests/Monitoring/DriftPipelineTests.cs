using System.Net;
using Escala.Core.Monitoring.Alerts;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Problems;
using Escala.Server.Monitoring.Drift;
using Escala.Testing;

namespace Escala.Server.Tests.Monitoring;

/// <summary>
/// Traffic through the real gateway and the worker end to end: rows checked and windowed, windows closed and judged
/// against the stored baseline, reports stored and served as JSON and HTML, drift alerts fired and resolved and
/// delivered to a real webhook.
/// </summary>
public sealed class DriftPipelineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Shifted_traffic_drifts_the_moved_feature_fires_the_alert_delivers_it_and_resolves_when_traffic_returns()
    {
        await using var world = await MonitoringWorld.StartAsync();
        await using var sink = await HttpSink.StartAsync();
        var version = await world.RegisterAsync();
        Assert.NotNull(version.Baseline);
        Assert.Equal(["a", "b", "c"], version.Baseline!.Features);
        Assert.Equal("p", version.Baseline.Prediction);
        await world.SetSettingsAsync(new { window = new { rows = 500 } });
        var rule = await world.Admin.PostJsonAsync("api/v1/alerts/rules", new
        {
            endpoint = MonitoringWorld.Endpoint, name = "features moved", metric = "drift.share", threshold = 0, severity = "critical",
            webhooks = new[] { sink.Url + "/hook" },
        });
        Assert.Equal(HttpStatusCode.Created, rule.StatusCode);
        await world.MonitorAsync();

        await world.ServeAsync(500, shift: 0, seed: 1);
        await Eventually.TrueAsync(async () => (await world.Admin.JsonAsync($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift/reports"))?.GetArrayLength() == 1, "the first window");
        var calm = await world.Admin.GetAsync<DriftView>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift");
        Assert.Equal(500, calm.Report.Rows);
        Assert.Empty(calm.Report.DriftedFeatures);
        Assert.Equal(MonitoringWorld.Target, calm.Version);

        await world.ServeAsync(500, shift: 1.5, seed: 10_000);
        await HttpSink.WaitForAsync(() => sink.On("/hook").Count == 1, "the firing webhook");
        var fired = sink.On("/hook")[0].Json;
        Assert.Equal("firing", fired.GetProperty("status").GetString());
        Assert.Equal("critical", fired.GetProperty("severity").GetString());
        Assert.Equal(MonitoringWorld.Target, fired.GetProperty("version").GetString());
        // Windows of 500 rows are judged by a test under the default policy (effect sizes from 1,000 rows on).
        Assert.Contains("a (KS p", fired.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("alert.fired", sink.On("/hook")[0].Headers["X-Escala-Event"]);
        // Links are absolute (the receiver is elsewhere): here under the address the server listens on.
        var statusLink = new Uri(fired.GetProperty("links").GetProperty("status").GetString()!);
        Assert.Equal(new Uri(world.Admin.BaseAddress!, $"api/v1/endpoints/{MonitoringWorld.Endpoint}/status"), statusLink);
        Assert.Equal(HttpStatusCode.OK, (await world.Admin.GetAsync(statusLink, Ct)).StatusCode);

        var drifted = await world.Admin.GetAsync<DriftView>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift");
        var a = drifted.Report.Features.Single(f => f.Name == "a");
        Assert.Equal(DriftVerdict.Drifted, a.Verdict);
        Assert.Equal(DriftMethod.KolmogorovSmirnov, a.Method);
        Assert.True(a.KsPValue < 0.01 / 3, $"KS p of a: {a.KsPValue}");
        Assert.Equal(DriftVerdict.Stable, drifted.Report.Features.Single(f => f.Name == "b").Verdict);
        Assert.Equal(DriftVerdict.Stable, drifted.Report.Features.Single(f => f.Name == "c").Verdict);

        var html = await world.Admin.GetStringAsync($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift/html", Ct);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("1 of 3 judged features drifted: a.", html, StringComparison.Ordinal);

        await Eventually.TrueAsync(async () => (await world.Admin.GetAsync<AlertEvent[]>("api/v1/alerts")).FirstOrDefault()?.Delivery == DeliveryStatus.Delivered,
            "the delivery status");
        var metrics = await world.Admin.GetStringAsync("metrics", Ct);
        Assert.Contains("escala_alerts_firing{endpoint=\"scoring\",rule=\"features moved\",severity=\"critical\",version=\"scorer:1\",metric=\"drift.share\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("escala_drift_share_ratio{endpoint=\"scoring\",version=\"scorer:1\"} 0.3333333333333333", metrics, StringComparison.Ordinal);

        await world.ServeAsync(500, shift: 0, seed: 20_000);
        await HttpSink.WaitForAsync(() => sink.On("/hook").Count == 2, "the resolving webhook");
        Assert.Equal("resolved", sink.On("/hook")[1].Json.GetProperty("status").GetString());
        var events = await world.Admin.GetAsync<AlertEvent[]>($"api/v1/alerts?endpoint={MonitoringWorld.Endpoint}");
        Assert.Equal([AlertTransitionKind.Resolved, AlertTransitionKind.Fired], events.Select(e => e.Kind));
    }

    [Fact]
    public async Task A_period_report_merges_the_stored_windows_and_the_open_window_can_be_read_live()
    {
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync();
        await world.SetSettingsAsync(new { window = new { rows = 300 } });
        await world.MonitorAsync();
        await world.ServeAsync(900, shift: 0, seed: 1);
        await Eventually.TrueAsync(async () => (await world.Admin.JsonAsync($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift/reports"))?.GetArrayLength() == 3, "three windows");
        await world.ServeAsync(120, shift: 0, seed: 5000);

        var merged = await world.Admin.GetAsync<DriftView>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift?window=1h");
        Assert.Equal(900, merged.Report.Rows);
        Assert.Equal(3, merged.WindowIds.Count);
        var open = await world.Admin.GetAsync<DriftView>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift?window=current");
        Assert.Equal(120, open.Report.Rows);
        var one = await world.Admin.GetAsync<DriftView>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift?window={merged.WindowIds[0]}");
        Assert.Equal(300, one.Report.Rows);

        await (await world.Admin.GetAsync($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift?window=soon", Ct)).AssertProblemAsync(ProblemTypes.ValidationFailed, "window must be");
        await (await world.Admin.GetAsync($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift?window=999999", Ct)).AssertProblemAsync(ProblemTypes.NotFound);
        await (await world.Admin.GetAsync("api/v1/endpoints/other/drift", Ct)).AssertProblemAsync(ProblemTypes.NotFound, "There is no endpoint 'other'");
        await (await world.Admin.GetAsync($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift?window=current&version=made-up:7", Ct))
            .AssertProblemAsync(ProblemTypes.NotFound, "versions with drift data: scorer:1");
        Assert.DoesNotContain(world.Monitor.Monitors.All, m => m.Target == "made-up:7");
    }

    [Fact]
    public async Task A_version_without_baseline_is_counted_but_not_judged_and_says_why()
    {
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync(csv: null);
        var monitor = await world.MonitorAsync();
        Assert.Contains("has no baseline", monitor.Unmonitored, StringComparison.Ordinal);
        await world.ServeAsync(10);

        var metrics = await world.Admin.GetStringAsync("metrics", Ct);
        Assert.Contains("escala_monitored_versions{endpoint=\"scoring\",version=\"scorer:1\",state=\"unmonitored\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("escala_requests_total{endpoint=\"scoring\",version=\"scorer:1\",department=\"\"} 10", metrics, StringComparison.Ordinal);
        await (await world.Admin.GetAsync($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift?window=current&version=scorer:1", Ct))
            .AssertProblemAsync(ProblemTypes.NoBaseline, "escala models baseline scorer 1");
    }

    [Fact]
    public async Task A_baseline_is_built_from_the_first_predictions_when_configured_and_the_version_is_then_monitored()
    {
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync(csv: null);
        await world.SetSettingsAsync(new { baselineFromPredictions = 300, window = new { rows = 200 } });
        var capturing = await world.MonitorAsync();
        Assert.NotNull(capturing.Capture);
        await world.ServeAsync(300, shift: 0, seed: 3);

        await Eventually.TrueAsync(async () => (await world.Admin.JsonAsync($"api/v1/models/{MonitoringWorld.Model}/versions/1/baseline")) is not null, "the captured baseline");
        var baseline = (await world.Admin.JsonAsync($"api/v1/models/{MonitoringWorld.Model}/versions/1/baseline"))!.Value.GetProperty("summary");
        Assert.Equal("predictions", baseline.GetProperty("source").GetString());
        Assert.Equal(300, baseline.GetProperty("rows").GetInt64());
        Assert.Equal(["x[0]", "x[1]", "x[2]"], baseline.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("system (system)", baseline.GetProperty("createdBy").GetString());

        var monitored = await world.MonitorAsync();
        await Eventually.TrueAsync(async () =>
        {
            monitored = await world.MonitorAsync();
            return monitored.Unmonitored is null;
        }, "the monitor rebuilt on the new baseline");
        await world.ServeAsync(200, shift: 3, seed: 9);
        await Eventually.TrueAsync(async () => (await world.Admin.JsonAsync($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift/reports"))?.GetArrayLength() == 1, "a window");
        var report = await world.Admin.GetAsync<DriftView>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/drift");
        Assert.Contains("x[0]", report.Report.DriftedFeatures);
    }
}
