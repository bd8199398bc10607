using System.Text;
using Escala.Core.Monitoring.Status;
using Escala.Server.Monitoring.Live;
using Escala.Server.Monitoring.Metrics;
using Escala.Testing;

namespace Escala.Server.Tests.Monitoring;

/// <summary>OTLP export to a real collector address when an endpoint's settings name one; the status page's availability, uptime and incidents.</summary>
public sealed class OtlpAndStatusTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_endpoint_with_an_otlp_endpoint_pushes_its_metrics_there_as_otlp_http_protobuf()
    {
        await using var collector = await HttpSink.StartAsync();
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync();
        await world.SetSettingsAsync(new { otlpEndpoint = collector.Url });
        await world.ServeAsync(25);

        // Another endpoint's traffic is not this collector's business.
        (await world.Admin.PostJsonAsync("api/v1/endpoints", new { name = "elsewhere" })).EnsureSuccessStatusCode();
        (await world.Admin.PostJsonAsync("api/v1/endpoints/elsewhere/deploy", new { version = MonitoringWorld.Target })).EnsureSuccessStatusCode();
        (await world.Admin.PostJsonAsync("v1/endpoints/elsewhere/predict", new { records = new[] { new { x = new[] { 0.1f, 5f, 0.5f } } } })).EnsureSuccessStatusCode();

        await HttpSink.WaitForAsync(() => collector.On("/v1/metrics").Any(r => Encoding.UTF8.GetString(r.Body).Contains("escala.requests", StringComparison.Ordinal)),
            "an OTLP export with the request counter");
        var export = collector.On("/v1/metrics").Last(r => Encoding.UTF8.GetString(r.Body).Contains("escala.requests", StringComparison.Ordinal));
        Assert.Equal("application/x-protobuf", export.ContentType);
        var body = Encoding.UTF8.GetString(export.Body);
        Assert.Contains("scoring", body, StringComparison.Ordinal);
        Assert.Contains("scorer:1", body, StringComparison.Ordinal);
        Assert.DoesNotContain("elsewhere", body, StringComparison.Ordinal);
        Assert.Equal([collector.Url], world.Server.Service<OtlpExport>().Targets.Keys);

        await world.SetSettingsAsync(new { });
        await Eventually.TrueAsync(() => Task.FromResult(world.Server.Service<OtlpExport>().Targets.Count == 0), "the exporter to stop");
    }

    [Fact]
    public async Task The_status_page_shows_availability_against_the_objective_and_the_incidents()
    {
        await using var backend = await HttpSink.StartAsync();
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync();
        await world.DeployBrokenBackendAsync(backend, "partner");
        await world.SetSettingsAsync(new { quality = "reject", slo = new { target = 0.99, periodDays = 7 } });
        await world.Admin.PostJsonAsync("api/v1/alerts/rules", new { endpoint = MonitoringWorld.Endpoint, name = "errors", metric = "error.rate", threshold = 0.05, severity = "critical" });
        await world.MonitorAsync();
        Assert.Equal(90, (await world.ServeAsync(90)).Answered);
        Assert.Equal(10, (await world.ServeAsync(10, department: "partner")).Failed);
        using (var refused = await world.PredictAsync([[0.1f, 1000, 0.5f]]))
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        }

        await world.SettleAsync(101);
        await Eventually.TrueAsync(async () => (await world.Admin.GetAsync<EndpointStatus>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/status")).Incidents.Count == 1,
            "the incident");

        var status = await world.Admin.GetAsync<EndpointStatus>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/status");
        Assert.Equal(101, status.Requests);
        Assert.Equal(10, status.Errors);
        Assert.Equal(1, status.Rejected);
        Assert.Equal(0.9, status.Availability, 9);
        Assert.Equal(1 - (10 / (0.01 * 100)), status.ErrorBudgetRemaining, 9);
        Assert.Equal(1, status.HoursWithTraffic);
        Assert.Equal(0, status.HoursMeetingTarget);
        Assert.Equal(8, status.Days.Count);
        Assert.Equal(101, status.Days[^1].Requests);
        var incident = status.Incidents.Single();
        Assert.Equal("errors", incident.Rule);
        Assert.Null(incident.ResolvedAt);
        Assert.Equal(["remote-scorer", "scorer:1"], status.Versions.Select(v => v.Version).Order());

        var html = await world.Admin.GetStringAsync($"api/v1/endpoints/{MonitoringWorld.Endpoint}/status/html", Ct);
        Assert.Contains("1 alert firing", html, StringComparison.Ordinal);
        Assert.Contains("90.000% over 7 days (objective 99.000%)", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);

        // The counts are durable: after a restart the period still holds them.
        await world.Server.Service<DurableCounts>().FlushAsync(Ct);
        await world.RestartAsync();
        var after = await world.Admin.GetAsync<EndpointStatus>($"api/v1/endpoints/{MonitoringWorld.Endpoint}/status");
        Assert.Equal(101, after.Requests);
        Assert.Single(after.Incidents);
    }
}
