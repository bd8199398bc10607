using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Escala.Onnx;

namespace Escala.Training.Pipelines.Steps;

/// <summary>
/// <c>train</c> with <c>trainer: command</c>: anyone's training code in any language. The command runs through
/// <c>/bin/sh -c</c> with the training data's path in <c>ESCALA_DATA</c> and an empty output folder in
/// <c>ESCALA_OUTPUT</c> (plus <c>ESCALA_LABEL</c>, <c>ESCALA_TASK</c>, <c>ESCALA_POSITIVE</c> when set); its stdout and
/// stderr go to the step log; it must exit 0 within <c>timeout</c> (default 10m) and leave <c>model.onnx</c> (which
/// Escala's engine must load) and <c>metrics.json</c> (an object of numbers) in the output folder.
/// </summary>
public static class CommandTrainStep
{
    /// <summary>The default time limit.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Runs the command and collects its model.</summary>
    public static async Task<JsonObject> ExecuteAsync(StepContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Text("command");
        var timeout = DefaultTimeout;
        if (context.Optional("timeout") is { } t && !PipelineYaml.TryDuration(t, out timeout))
        {
            throw new StepFailedException($"step '{context.Step.Name}': timeout '{t}' is not a duration such as 90s or 10m");
        }

        var (dataset, path) = await context.DatasetAsync(context.Text("data"));
        var output = Path.Combine(context.Services.WorkRoot, $"run-{context.Run.Id}-{context.Step.Name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(output);
        try
        {
            var start = new ProcessStartInfo("/bin/sh")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = context.Optional("workdir") ?? Environment.CurrentDirectory,
            };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(command);
            start.Environment["ESCALA_DATA"] = path;
            start.Environment["ESCALA_OUTPUT"] = output;
            foreach (var key in new[] { "label", "task", "positive" })
            {
                if (context.Optional(key) is { } value)
                {
                    start.Environment["ESCALA_" + key.ToUpperInvariant()] = value;
                }
            }

            context.Log($"$ {command}  (data {dataset.Ref}, timeout {timeout.TotalSeconds:0} s)");
            using var process = Process.Start(start) ?? throw new StepFailedException($"could not start '{command}'");
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { context.Log(e.Data); } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { context.Log("stderr: " + e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                context.CancellationToken.ThrowIfCancellationRequested();
                throw new StepFailedException($"the command did not finish within its timeout of {timeout.TotalSeconds:0} s and was killed");
            }

            process.WaitForExit(); // drains the redirected streams
            if (process.ExitCode != 0)
            {
                throw new StepFailedException($"the command exited with code {process.ExitCode}; its output is in the step log");
            }

            var modelPath = Path.Combine(output, "model.onnx");
            var metricsPath = Path.Combine(output, "metrics.json");
            var missing = new[] { modelPath, metricsPath }.Where(p => !File.Exists(p)).Select(Path.GetFileName).ToArray();
            if (missing.Length > 0)
            {
                throw new StepFailedException($"the command exited 0 but left no {string.Join(" and no ", missing)} in ESCALA_OUTPUT");
            }

            var model = await File.ReadAllBytesAsync(modelPath, context.CancellationToken);
            try
            {
                InferenceSession.Load(model);
            }
            catch (OnnxException e)
            {
                throw new StepFailedException($"model.onnx does not run in Escala's engine: {e.Message}");
            }

            JsonObject metrics;
            try
            {
                metrics = JsonNode.Parse(await File.ReadAllTextAsync(metricsPath, context.CancellationToken)) as JsonObject
                    ?? throw new StepFailedException("metrics.json must hold a JSON object of metric names to numbers");
            }
            catch (JsonException e)
            {
                throw new StepFailedException($"metrics.json is not JSON: {e.Message}");
            }

            var put = await context.Services.Artifacts.PutAsync(model, context.CancellationToken);
            context.Log($"model {put.Id} ({put.Size:N0} bytes); metrics {metrics.ToJsonString()}");
            return new JsonObject
            {
                ["model"] = put.Id.ToString(),
                ["trainer"] = "command",
                ["command"] = command,
                ["task"] = context.Optional("task") ?? "binary",
                ["label"] = context.Optional("label"),
                ["positive"] = context.Optional("positive"),
                ["metrics"] = metrics,
                ["data"] = dataset.Ref,
                ["fingerprint"] = dataset.Fingerprint,
                ["rows"] = dataset.Rows,
            };
        }
        finally
        {
            try
            {
                Directory.Delete(output, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
