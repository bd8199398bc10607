using System.Net.Http.Json;
using Escala.Core.Audit;
using Escala.Core.Monitoring.Accuracy;
using Escala.Core.Monitoring.Alerts;
using Escala.Core.Monitoring.Settings;
using Escala.Core.Pipelines;
using Escala.Server.Hosting;
using Escala.Server.Scheduling;
using Escala.Testing;

namespace Escala.Server.Tests.Training;

/// <summary>Each trigger starts a run on its own, recorded on the run; a second trigger waits for the cooldown.</summary>
public sealed class PipelineTriggerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Pipeline(string trigger) => $$"""
        name: retrain
        triggers:
          - {{trigger}}
        cooldown: 1h
        steps:
          - name: train
            type: train
            trainer: logistic
            data: small
            label: y
        """;

    private static async Task<PipelineRun[]> RunsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<PipelineRun[]>("api/v1/pipeline-runs?pipeline=retrain", EscalaJson.Options, Ct))!;

    private static async Task<EscalaTestServer> StartAsync(string trigger)
    {
        var server = await EscalaTestServer.StartAsync();
        await PipelineHarness.UploadAsync(server.Admin(), "small", "x,y\n1,0\n2,0\n3,1\n4,1\n5,1\n0,0\n");
        var applied = await PipelineHarness.ApplyAsync(server.Admin(), Pipeline(trigger));
        Assert.True(applied.IsSuccessStatusCode, await applied.Content.ReadAsStringAsync(Ct));
        return server;
    }

    [Fact]
    public async Task A_cron_schedule_starts_a_run_when_due()
    {
        await using var server = await StartAsync("cron: \"*/2 * * * * *\"");
        var client = server.Admin();
        await Poll.UntilAsync(async () => (await RunsAsync(client)).Length > 0, TimeSpan.FromSeconds(30), "the cron trigger");
        var run = Assert.Single(await RunsAsync(client));
        Assert.Equal("cron", run.Trigger.Kind);
        Assert.Contains("cron '*/2 * * * * *' due at", run.Trigger.Detail, StringComparison.Ordinal);
        Assert.Equal("pipeline:retrain", run.Identity.Name);

        // The cooldown (1h) holds the next one back.
        await server.Service<JobScheduler>().RunOnceAsync("pipeline-triggers", Ct);
        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);
        await server.Service<JobScheduler>().RunOnceAsync("pipeline-triggers", Ct);
        Assert.Single(await RunsAsync(client));
    }

    [Fact]
    public async Task A_count_of_new_labels_starts_a_run()
    {
        await using var server = await StartAsync("labels: { endpoint: credit, count: 3 }");
        var client = server.Admin();
        var store = server.Service<IFeedbackStore>();
        FeedbackRow Label(int i) => new("credit", $"r{i}", 0, "credit:1", null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(1), GroundTruthTask.Binary, "1", null, null, 0.7, null);
        await store.UpsertAsync([Label(1), Label(2)], Ct);
        await server.Service<JobScheduler>().RunOnceAsync("pipeline-triggers", Ct);
        Assert.Empty(await RunsAsync(client));

        await store.UpsertAsync([Label(3)], Ct);
        await server.Service<JobScheduler>().RunOnceAsync("pipeline-triggers", Ct);
        var run = Assert.Single(await RunsAsync(client));
        Assert.Equal("labels", run.Trigger.Kind);
        Assert.StartsWith("3 new labels on credit", run.Trigger.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_firing_alert_rule_starts_a_run()
    {
        await using var server = await StartAsync("alert: { endpoint: credit, rule: drift }");
        var client = server.Admin();
        var alerts = server.Service<IAlertStore>();
        var now = DateTimeOffset.UtcNow;
        var rule = await alerts.AddRuleAsync(new AlertRuleSpec(0, "credit", "drift", AlertMetric.DriftShare, null, null, null, AlertComparison.GreaterThan, 0.3,
            AlertSeverity.Warning, 0, null, 0, [], now, "test"), r => new AuditEntry(now, "test (t)", "alert.rule.create", "alert", null, "{}"), Ct);
        await server.Service<JobScheduler>().RunOnceAsync("pipeline-triggers", Ct);
        Assert.Empty(await RunsAsync(client));

        await alerts.RecordAsync([new StoredAlertState(rule.Id, "credit", new AlertState(AlertStatus.Firing, now, now), 0.6, now)], [], Ct);
        await server.Service<JobScheduler>().RunOnceAsync("pipeline-triggers", Ct);
        var run = Assert.Single(await RunsAsync(client));
        Assert.Equal("alert", run.Trigger.Kind);
        Assert.Contains("alert 'drift' on credit firing", run.Trigger.Detail, StringComparison.Ordinal);
    }
}
