using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Escala.Core.Artifacts;
using Escala.Core.Audit;
using Escala.Core.Pipelines;
using Escala.Core.Problems;

namespace Escala.Training.Pipelines;

/// <summary>
/// Executes one claimed run: steps in order, each with its settings resolved against earlier outputs, its input hash
/// (type, resolved settings and data fingerprints) checked against earlier successful runs for reuse, its log and
/// outputs stored as it goes. The first failing step stops the run with its reason; a cancel stops it as cancelled, a
/// shutdown as interrupted. Steps that change the registry or an endpoint do so in one transaction each, so a stop
/// never leaves half a change.
/// </summary>
public sealed class PipelineRunner(PipelineServices services, IEnumerable<IPipelineStep> steps, RunCancellation cancellation)
{
    private readonly Dictionary<string, IPipelineStep> _steps = steps.Concat(services.HostSteps.Values).ToDictionary(s => s.Type, StringComparer.Ordinal);

    /// <summary>Runs <paramref name="run"/> (already marked running) to its end; <paramref name="stopping"/> is the server's shutdown.</summary>
    public async Task<PipelineRun> ExecuteAsync(PipelineRun run, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(run);
        var store = services.Pipelines;
        var record = await store.FindAsync(run.Pipeline, run.Revision, CancellationToken.None);
        PipelineDefinition definition;
        try
        {
            definition = PipelineYaml.Parse(record?.Source ?? throw new PipelineDefinitionException([$"revision {run.Revision} of '{run.Pipeline}' is missing"]));
        }
        catch (PipelineDefinitionException e)
        {
            return await FinishAsync(run, RunStatus.Failed, null, e.Message);
        }

        for (var i = 0; i < definition.Steps.Count; i++)
        {
            await store.SaveStepAsync(Pending(run.Id, definition.Steps[i], i), CancellationToken.None);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        using var tracking = cancellation.Track(run.Id, stop);
        var outputs = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        for (var position = 0; position < definition.Steps.Count; position++)
        {
            var step = definition.Steps[position];
            var current = await store.FindRunAsync(run.Id, CancellationToken.None);
            if (current?.CancelRequested == true)
            {
                return await FinishAsync(run, RunStatus.Cancelled, step.Name, "cancelled before this step started");
            }

            var record0 = Pending(run.Id, step, position) with { Status = StepStatus.Running, StartedAt = services.Time.GetUtcNow() };
            var executor = _steps.GetValueOrDefault(step.Type);
            JsonObject settings;
            try
            {
                settings = ReferenceResolver.Resolve(step.Settings, run, outputs);
                if (executor is null)
                {
                    throw new StepFailedException($"this server has no '{step.Type}' step");
                }
            }
            catch (StepFailedException e)
            {
                await store.SaveStepAsync(record0 with { Status = StepStatus.Failed, EndedAt = services.Time.GetUtcNow(), Reason = e.Message }, CancellationToken.None);
                return await FinishAsync(run, RunStatus.Failed, step.Name, e.Message);
            }

            var inputs = await InputsAsync(step, settings, stop.Token);
            var hash = Hash(step.Type, inputs);
            record0 = record0 with { Inputs = inputs.ToJsonString(), InputHash = hash };
            if (executor.Cacheable && await ReusableAsync(run.Pipeline, step.Name, hash) is { } earlier)
            {
                var from = earlier.CachedFromRun ?? earlier.RunId;
                outputs[step.Name] = (JsonObject)JsonNode.Parse(earlier.Outputs!)!;
                await store.SaveStepAsync(record0 with
                {
                    Status = StepStatus.Cached, EndedAt = services.Time.GetUtcNow(), Outputs = earlier.Outputs, CachedFromRun = from,
                    Log = $"inputs unchanged (hash {hash[..12]}): reused the outputs of run {from.ToString(CultureInfo.InvariantCulture)}\n",
                }, CancellationToken.None);
                continue;
            }

            await store.SaveStepAsync(record0, CancellationToken.None);
            var context = new StepContext(services, run, step, settings, outputs, stop.Token);
            var lastSaved = DateTimeOffset.MinValue;
            context.LogChanged = () =>
            {
                // Progress is saved at most every two seconds, so `logs` shows a long step as it runs.
                var now = services.Time.GetUtcNow();
                if (now - lastSaved > TimeSpan.FromSeconds(2))
                {
                    lastSaved = now;
                    _ = store.SaveStepAsync(record0 with { Log = context.LogText }, CancellationToken.None);
                }
            };
            try
            {
                var result = await executor.ExecuteAsync(context);
                outputs[step.Name] = result;
                context.LogChanged = null;
                await store.SaveStepAsync(record0 with
                {
                    Status = StepStatus.Succeeded, EndedAt = services.Time.GetUtcNow(), Outputs = result.ToJsonString(), Log = context.LogText,
                }, CancellationToken.None);
            }
            catch (Exception e) when (Reason(e, stopping, stop.Token) is var (status, reason))
            {
                context.LogChanged = null;
                await store.SaveStepAsync(record0 with
                {
                    Status = status == RunStatus.Failed ? StepStatus.Failed : StepStatus.Stopped,
                    EndedAt = services.Time.GetUtcNow(), Log = context.LogText + reason + "\n", Reason = reason,
                }, CancellationToken.None);
                return await FinishAsync(run, status, step.Name, reason);
            }
        }

        return await FinishAsync(run, RunStatus.Succeeded, null, null);
    }

    /// <summary>The input hash: SHA-256 over the step type and its resolved inputs as canonical JSON.</summary>
    public static string Hash(string type, JsonObject inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(type + "\n" + Canonical(inputs)!.ToJsonString())));
    }

    private static (RunStatus, string)? Reason(Exception e, CancellationToken stopping, CancellationToken stop) => e switch
    {
        StepFailedException f => (RunStatus.Failed, f.Message),
        ProblemException p => (RunStatus.Failed, p.Detail ?? p.Message),
        OperationCanceledException when stopping.IsCancellationRequested => (RunStatus.Interrupted, "the server stopped while this step ran"),
        OperationCanceledException when stop.IsCancellationRequested => (RunStatus.Cancelled, "cancelled while this step ran"),
        IOException or InvalidDataException or UnauthorizedAccessException => (RunStatus.Failed, e.Message),
        InvalidOperationException or ArgumentException or FormatException or KeyNotFoundException => (RunStatus.Failed, $"{e.GetType().Name}: {e.Message}"),
        _ => null,
    };

    // Data settings are recorded with the version and fingerprint they resolved to, so a new upload changes the hash.
    private async Task<JsonObject> InputsAsync(StepDefinition step, JsonObject settings, CancellationToken cancellationToken)
    {
        var inputs = (JsonObject)settings.DeepClone();
        if (settings["data"] is JsonValue data && data.ToString() is { } reference)
        {
            try
            {
                var (name, version) = DatasetReference.Parse(reference);
                if (await services.Datasets.FindAsync(name, version, cancellationToken) is { } dataset)
                {
                    inputs["data"] = new JsonObject { ["dataset"] = dataset.Ref, ["fingerprint"] = dataset.Fingerprint };
                }
            }
            catch (StepFailedException)
            {
                // The step reports the bad reference itself.
            }
        }

        if (step.Type == "train" && settings["trainer"]?.ToString() == "command" && settings["workdir"] is null)
        {
            inputs["workdir"] = Environment.CurrentDirectory;
        }

        return inputs;
    }

    private async Task<StepRun?> ReusableAsync(string pipeline, string step, string hash)
    {
        var earlier = await services.Pipelines.FindReusableStepAsync(pipeline, step, hash, CancellationToken.None);
        if (earlier?.Outputs is null)
        {
            return null;
        }

        // Reuse only while the artifacts it produced are still stored.
        var model = JsonNode.Parse(earlier.Outputs)?["model"]?.ToString();
        return model is null || (model.StartsWith("sha256:", StringComparison.Ordinal) && ArtifactId.TryParse(model[7..], out var id) && services.Artifacts.Exists(id))
            ? earlier
            : null;
    }

    private async Task<PipelineRun> FinishAsync(PipelineRun run, RunStatus status, string? step, string? reason)
    {
        var at = services.Time.GetUtcNow();
        return await services.Pipelines.FinishAsync(run.Id, status, step, reason, at,
            finished => AuditEntry.Create(at, run.Identity.ToPrincipal(), $"pipeline.run.{status.ToString().ToLowerInvariant()}",
                $"pipeline/{run.Pipeline}/runs/{run.Id.ToString(CultureInfo.InvariantCulture)}", run, finished), CancellationToken.None);
    }

    private static StepRun Pending(long runId, StepDefinition step, int position) =>
        new(runId, step.Name, step.Type, position, StepStatus.Pending, null, null, null, null, null, string.Empty, null, null);

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new KeyValuePair<string, JsonNode?>(p.Key, Canonical(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Canonical)]),
        _ => node?.DeepClone(),
    };
}
