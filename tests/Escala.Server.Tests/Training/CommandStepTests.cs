using System.Diagnostics;
using System.Net.Http.Json;
using Escala.Core.Pipelines;
using Escala.Core.Registry;
using Escala.Server.Hosting;
using Escala.Testing;

namespace Escala.Server.Tests.Training;

/// <summary>The command step with real training code: a Python script training scikit-learn and writing ONNX with onnx.helper.</summary>
public sealed class CommandStepTests
{
    /// <summary>The Python with scikit-learn and onnx (Debian's python3-sklearn and python3-onnx); set in CI so a missing one fails instead of skipping.</summary>
    public const string Variable = "ESCALA_PYTHON";

    private static string Python()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        foreach (var candidate in configured is { Length: > 0 } ? [configured] : new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(candidate, ["-c", "import sklearn, onnx"]) { RedirectStandardError = true })!;
                process.WaitForExit(30_000);
                if (process.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }

        Assert.SkipWhen(configured is null or "", $"Needs python3 with scikit-learn and onnx (apt-get install python3-sklearn python3-onnx), or {Variable} pointing at one; CI sets it.");
        Assert.Fail($"{Variable}={configured} cannot import sklearn and onnx.");
        return null!;
    }

    private static string Pipeline(string command) => $"""
        name: sklearn-income
        steps:
          - name: train
            type: train
            trainer: command
            command: {command}
            data: adult-train
            label: income
            positive: ">50K"
            timeout: 3m
          - name: evaluate
            type: evaluate
            model: ${"{"}train.model{"}"}
            data: adult-test
          - name: gate
            type: gate
            evaluation: ${"{"}evaluate{"}"}
            rules:
              - metric: auc
                min: 0.75
          - name: register
            type: register
            model: ${"{"}train.model{"}"}
            as: adult-sklearn
        """;

    [Fact]
    public async Task A_python_script_trains_scikit_learn_writes_onnx_and_the_model_is_evaluated_gated_and_registered()
    {
        var python = Python();
        var script = Path.Combine(AppContext.BaseDirectory, "Training", "train_sklearn.py");
        await using var server = await EscalaTestServer.StartAsync();
        var client = server.Admin();
        var (train, _) = await PipelineHarness.UploadAdultAsync(client, 4000, 1000);

        var run = await PipelineHarness.ApplyAndRunAsync(client, Pipeline($"\"'{python}' '{script}'\""));
        Assert.True(run.Run.Status == RunStatus.Succeeded, $"{run.Run.FailedStep}: {run.Run.Reason}\n{run.Steps[0].Log}");
        var trained = run.Steps.Single(s => s.Name == "train");
        Assert.Contains("training on 4000 rows", trained.Log, StringComparison.Ordinal);
        Assert.Contains("train auc 0.", trained.Log, StringComparison.Ordinal);
        Assert.True(PipelineHarness.Outputs(run, "evaluate").GetProperty("metrics").GetProperty("auc").GetDouble() > 0.75);
        var version = await client.GetFromJsonAsync<ModelVersion>("api/v1/models/adult-sklearn/versions/1", EscalaJson.Options, TestContext.Current.CancellationToken);
        Assert.Equal(train.Fingerprint, version!.Lineage.DataFingerprint);
        Assert.Equal("sklearn-onnx-helper", version.Signature!.Producer);
    }

    [Theory]
    [InlineData("\"echo about to fail; exit 3\"", "the command exited with code 3")]
    [InlineData("\"echo '{}' > $ESCALA_OUTPUT/metrics.json\"", "left no model.onnx")]
    [InlineData("\"sleep 30\"", "did not finish within its timeout of 1 s")]
    public async Task A_failing_command_stops_the_run_with_a_clear_reason(string command, string reason)
    {
        await using var server = await EscalaTestServer.StartAsync();
        var client = server.Admin();
        await PipelineHarness.UploadAsync(client, "adult-train", "x,income\n1,>50K\n2,<=50K\n");
        var yaml = Pipeline(command).Replace("timeout: 3m", "timeout: 1s", StringComparison.Ordinal);
        var run = await PipelineHarness.ApplyAndRunAsync(client, yaml);
        Assert.Equal((RunStatus.Failed, "train"), (run.Run.Status, run.Run.FailedStep));
        Assert.Contains(reason, run.Run.Reason, StringComparison.Ordinal);
        Assert.All(run.Steps.Skip(1), s => Assert.Equal(StepStatus.Skipped, s.Status));
        if (command.Contains("echo about", StringComparison.Ordinal))
        {
            Assert.Contains("about to fail", run.Steps[0].Log, StringComparison.Ordinal);
        }
    }
}
