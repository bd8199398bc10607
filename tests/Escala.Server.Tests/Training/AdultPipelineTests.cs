using System.Net.Http.Json;
using Escala.Core.Pipelines;
using Escala.Core.Registry;
using Escala.Server.Hosting;
using Escala.Testing;

namespace Escala.Server.Tests.Training;

/// <summary>The smallest pipeline of the issue, exactly as written, on the Adult census data, through the real server.</summary>
public sealed class AdultPipelineTests
{
    [Fact]
    public async Task The_smallest_pipeline_trains_gates_and_registers_adult_with_its_lineage_then_reuses_unchanged_steps()
    {
        await using var server = await EscalaTestServer.StartAsync();
        var client = server.Admin();
        var (train, _) = await PipelineHarness.UploadAdultAsync(client);

        var first = await PipelineHarness.ApplyAndRunAsync(client, PipelineHarness.AdultIncome);
        Assert.True(first.Run.Status == RunStatus.Succeeded, $"{first.Run.FailedStep}: {first.Run.Reason}");
        Assert.Equal(["train", "evaluate", "gate", "register"], first.Steps.Select(s => s.Name));
        Assert.All(first.Steps, s => Assert.Equal(StepStatus.Succeeded, s.Status));
        Assert.True(PipelineHarness.Outputs(first, "evaluate").GetProperty("metrics").GetProperty("auc").GetDouble() >= 0.90);

        var version = await client.GetFromJsonAsync<ModelVersion>("api/v1/models/adult/versions/1", EscalaJson.Options, TestContext.Current.CancellationToken);
        Assert.Equal($"adult-income.run-{first.Run.Id}", version!.Lineage.PipelineRun);
        Assert.Equal(train.Fingerprint, version.Lineage.DataFingerprint);
        Assert.Contains(version.Signature!.Inputs, i => i.Name == "workclass" && i.ElementType == "string");
        Assert.DoesNotContain(version.Signature.Inputs, i => i.Name == "income");

        // Same data, same definition: training and evaluation are reused; the gate and registration run again.
        var second = await PipelineHarness.RunAsync(client, "adult-income");
        Assert.Equal(RunStatus.Succeeded, second.Run.Status);
        var reused = second.Steps.Single(s => s.Name == "train");
        Assert.Equal(StepStatus.Cached, reused.Status);
        Assert.Equal(first.Run.Id, reused.CachedFromRun);
        Assert.Equal(StepStatus.Cached, second.Steps.Single(s => s.Name == "evaluate").Status);
        Assert.Equal(StepStatus.Succeeded, second.Steps.Single(s => s.Name == "register").Status);

        // Runs and steps are read back after a restart.
        await using var restarted = await server.RestartAsync();
        var after = await PipelineHarness.WaitAsync(restarted.Admin(), first.Run.Id);
        Assert.Equal(first.Steps.Select(s => (s.Name, s.Status, s.InputHash)), after.Steps.Select(s => (s.Name, s.Status, s.InputHash)));
        Assert.Contains("registered adult:1", after.Steps.Single(s => s.Name == "register").Log, StringComparison.Ordinal);
    }
}
