using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Escala.Core.Registry;

namespace Escala.Training.Pipelines.Steps;

/// <summary>
/// <c>register</c>: registers the model as the next version of <c>as</c>, acting as the run's identity, with the run and
/// the training data's fingerprint in its lineage and the latest evaluation's metrics. Registration is one transaction
/// in the registry, and it is never cancelled halfway: a stop during it leaves either no version or a whole one.
/// </summary>
public sealed class RegisterStep : IPipelineStep
{
    /// <inheritdoc/>
    public string Type => "register";

    /// <inheritdoc/>
    public bool Cacheable => false;

    /// <inheritdoc/>
    public async Task<JsonObject> ExecuteAsync(StepContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var modelId = context.Text("model");
        var bytes = await context.ModelAsync("model");
        var producer = context.ProducerOf(modelId);
        var evaluation = context.Earlier.Values.LastOrDefault(o => o["model"]?.ToString() == modelId && o["metrics"] is JsonObject && o["by_slice"] is not null);
        var metrics = evaluation?["metrics"] ?? producer?["metrics"];
        var parameters = producer is null ? null : new JsonObject
        {
            ["trainer"] = producer["trainer"]?.DeepClone(),
            ["task"] = producer["task"]?.DeepClone(),
            ["label"] = producer["label"]?.DeepClone(),
            ["data"] = producer["data"]?.DeepClone(),
        };
        if (producer?["params"] is JsonObject hyper)
        {
            // The registry keeps flat parameters: one entry per hyperparameter.
            foreach (var (key, value) in hyper)
            {
                parameters![key] = value?.DeepClone();
            }
        }
        var request = new RegistrationRequest(
            context.Text("as"),
            Description: context.Optional("description") ?? $"Trained by pipeline run {context.RunName}",
            Metrics: metrics is null ? null : JsonSerializer.Deserialize<JsonElement>(metrics.ToJsonString()),
            Params: parameters is null ? null : JsonSerializer.Deserialize<JsonElement>(parameters.ToJsonString()),
            DataFingerprint: context.Optional("fingerprint") ?? producer?["fingerprint"]?.ToString(),
            PipelineRun: context.RunName);

        // Not cancellable once started: the registry commits a whole version or nothing.
        var version = await context.Services.Registry.RegisterAsync(context.Principal, request, bytes, CancellationToken.None);
        context.Log($"registered {version.Ref} ({version.SizeBytes:N0} bytes) as {context.Principal.AuditName}; lineage: data {request.DataFingerprint ?? "-"}, run {context.RunName}");
        return new JsonObject
        {
            ["model"] = modelId,
            ["name"] = version.Model,
            ["version"] = version.Version,
            ["ref"] = $"{version.Model}:{version.Version.ToString(CultureInfo.InvariantCulture)}",
        };
    }
}
