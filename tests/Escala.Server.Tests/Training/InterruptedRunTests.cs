using System.Net.Http.Json;
using Escala.Core.Pipelines;
using Escala.Training.Pipelines;
using Escala.Server.Hosting;
using Escala.Testing;

namespace Escala.Server.Tests.Training;

/// <summary>A server stopped in the middle of a run leaves it marked interrupted, with nothing half-done.</summary>
public sealed class InterruptedRunTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stopping_the_server_mid_run_marks_it_interrupted_and_registers_nothing()
    {
        var server = await EscalaTestServer.StartAsync();
        await using var _ = server;
        var client = server.Admin();
        await PipelineHarness.UploadAsync(client, "d", "x,y\n1,0\n2,1\n3,0\n4,1\n");
        var applied = await PipelineHarness.ApplyAsync(client, """
            name: slow
            steps:
              - name: train
                type: train
                trainer: command
                command: "echo started; sleep 60"
                data: d
              - name: register
                type: register
                model: ${train.model}
                as: slow-model
            """);
        Assert.True(applied.IsSuccessStatusCode);
        var started = await client.PostAsJsonAsync("api/v1/pipelines/slow/runs", new { }, EscalaJson.Options, Ct);
        var run = (await started.Content.ReadFromJsonAsync<PipelineRun>(EscalaJson.Options, Ct))!;
        await Poll.UntilAsync(async () =>
        {
            var view = await client.GetFromJsonAsync<RunView>($"api/v1/pipeline-runs/{run.Id}", EscalaJson.Options, Ct);
            return view!.Steps.Any(s => s.Name == "train" && s.Status == StepStatus.Running);
        }, TimeSpan.FromSeconds(60), "the train step to start");

        await using var restarted = await server.RestartAsync();
        var after = await restarted.Admin().GetFromJsonAsync<RunView>($"api/v1/pipeline-runs/{run.Id}", EscalaJson.Options, Ct);
        Assert.Equal((RunStatus.Interrupted, "train"), (after!.Run.Status, after.Run.FailedStep));
        Assert.Equal([StepStatus.Stopped, StepStatus.Skipped], after.Steps.Select(s => s.Status));
        var models = await restarted.Admin().GetAsync("api/v1/models/slow-model", Ct);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, models.StatusCode);

        // The pipeline runs again after the restart.
        var again = await restarted.Admin().PostAsJsonAsync("api/v1/pipelines/slow/runs", new { }, EscalaJson.Options, Ct);
        Assert.True(again.IsSuccessStatusCode);
        var second = (await again.Content.ReadFromJsonAsync<PipelineRun>(EscalaJson.Options, Ct))!;
        await Poll.UntilAsync(async () =>
        {
            var view = await restarted.Admin().GetFromJsonAsync<RunView>($"api/v1/pipeline-runs/{second.Id}", EscalaJson.Options, Ct);
            return view!.Run.Status == RunStatus.Running;
        }, TimeSpan.FromSeconds(30), "the second run to start");
        var cancelled = await restarted.Admin().PostAsync($"api/v1/pipeline-runs/{second.Id}/cancel", null, Ct);
        Assert.True(cancelled.IsSuccessStatusCode);
        var ended = await PipelineHarness.WaitAsync(restarted.Admin(), second.Id);
        Assert.Equal(RunStatus.Cancelled, ended.Run.Status);
        Assert.Equal("cancelled while this step ran", ended.Run.Reason);
    }
}
