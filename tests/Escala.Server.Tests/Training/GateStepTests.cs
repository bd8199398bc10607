using Escala.Core.Pipelines;

namespace Escala.Server.Tests.Training;

/// <summary>Each gate rule failing alone stops the run before registration, with the rule and its numbers.</summary>
public sealed class GateStepTests
{
    private static string Pipeline(string rule) => $$"""
        name: gated
        steps:
          - name: train
            type: train
            trainer: logistic
            data: small
            label: y
          - name: evaluate
            type: evaluate
            model: ${train.model}
            data: small
          - name: gate
            type: gate
            evaluation: ${evaluate}
            champion: gated-model
            rules:
              - metric: accuracy
                min: 0.5
              - {{rule}}
          - name: register
            type: register
            model: ${train.model}
            as: gated-model
        """;

    [Theory]
    [InlineData("latency_p99_ms: 0.000001", "engine p99 <= 0 ms per row: engine p99", "over the budget 0 ms")]
    [InlineData("metric: auc\n        min: 1.01", "auc >= 1.01: auc = ", "below the minimum 1.01")]
    [InlineData("metric: log_loss\n        max: 0.0001", "log_loss <= 0.0001: log_loss = ", "above the maximum 0.0001")]
    public async Task A_failing_rule_stops_the_run_with_its_numbers_and_nothing_is_registered(string rule, string reason, string detail)
    {
        await using var server = await Escala.Testing.EscalaTestServer.StartAsync();
        var client = server.Admin();
        await PipelineHarness.UploadAsync(client, "small", "x,z,y\n1,a,0\n2,b,0\n3,a,1\n4,b,1\n5,a,1\n0,b,0\n6,a,1\n-1,b,0\n");
        var run = await PipelineHarness.ApplyAndRunAsync(client, Pipeline(rule));
        Assert.Equal((RunStatus.Failed, "gate"), (run.Run.Status, run.Run.FailedStep));
        Assert.Contains(reason, run.Run.Reason, StringComparison.Ordinal);
        Assert.Contains(detail, run.Run.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("accuracy", run.Run.Reason, StringComparison.Ordinal); // the passing rule is not blamed
        var gate = run.Steps.Single(s => s.Name == "gate");
        Assert.Contains("PASS accuracy >= 0.5", gate.Log, StringComparison.Ordinal);
        Assert.Contains("no champion in production", gate.Log, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Skipped, run.Steps.Single(s => s.Name == "register").Status);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("api/v1/models/gated-model", TestContext.Current.CancellationToken)).StatusCode);
    }
}
