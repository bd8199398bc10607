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
        world.Serve(25);
        world.Monitor.Record("elsewhere", "other:1", null, ServingOutcome.Answered, TimeSpan.FromMilliseconds(1));

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
        await using var world = await MonitoringWorld.StartAsync();
        await world.RegisterAsync();
        await world.SetSettingsAsync(new { slo = new { target = 0.99, periodDays = 7 } });
        await world.Admin.PostJsonAsync("api/v1/alerts/rules", new { endpoint = MonitoringWorld.Endpoint, name = "errors", metric = "error.rate", threshold = 0.05, severity = "critical" });
        world.Serve(90);
        for (var i = 0; i < 10; i++)
        {
            world.Monitor.Record(MonitoringWorld.Endpoint, "none", null, ServingOutcome.Failed, TimeSpan.FromMilliseconds(5));
        }

        world.Monitor.Record(MonitoringWorld.Endpoint, MonitoringWorld.Target, null, ServingOutcome.QualityRejected, TimeSpan.FromMilliseconds(1));
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
        Assert.Equal("scorer:1", Assert.Single(status.Versions).Version);

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
