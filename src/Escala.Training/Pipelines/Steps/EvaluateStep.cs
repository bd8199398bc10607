using System.Text.Json.Nodes;
using Escala.Core.Pipelines.Gates;
using Escala.Training.Datasets;
using Escala.Training.Evaluation;
using Escala.Training.Trainers;

namespace Escala.Training.Pipelines.Steps;

/// <summary>
/// <c>evaluate</c>: scores a model on a holdout dataset in Escala's engine with ground-truth monitoring's metric code,
/// overall and per <c>slices</c> column. Label, task and positive class come from the settings or from the step that
/// trained the model.
/// </summary>
public sealed class EvaluateStep : IPipelineStep
{
    /// <inheritdoc/>
    public string Type => "evaluate";

    /// <inheritdoc/>
    public bool Cacheable => true;

    /// <inheritdoc/>
    public async Task<JsonObject> ExecuteAsync(StepContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var modelId = context.Text("model");
        var model = await context.ModelAsync("model");
        var producer = context.ProducerOf(modelId);
        var spec = Spec(context, producer);
        var (dataset, path) = await context.DatasetAsync(context.Text("data"));
        context.Log($"evaluating {modelId} on {dataset.Ref} ({dataset.Rows:N0} rows), label '{spec.Label}'");
        var metrics = Run(() => HoldoutEvaluator.Evaluate(model, CsvTable.Read(path), spec));
        context.Log(string.Join(", ", metrics.Overall.Select(m => $"{m.Key} {m.Value:0.####}")));
        var output = new JsonObject
        {
            ["model"] = modelId,
            ["data"] = dataset.Ref,
            ["fingerprint"] = dataset.Fingerprint,
            ["rows"] = dataset.Rows,
            ["label"] = spec.Label,
            ["task"] = spec.Task.ToString().ToLowerInvariant(),
            ["positive"] = spec.Positive,
            ["slices"] = new JsonArray([.. spec.Slices.Select(s => JsonValue.Create(s))]),
        };
        Write(output, metrics);
        return output;
    }

    /// <summary>Writes <paramref name="metrics"/> as <c>metrics</c> and <c>by_slice</c>.</summary>
    public static void Write(JsonObject output, EvaluationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(metrics);
        output["metrics"] = Object(metrics.Overall);
        output["by_slice"] = new JsonObject(metrics.Slices.Select(s => new KeyValuePair<string, JsonNode?>(
            s.Key, new JsonObject(s.Value.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => new KeyValuePair<string, JsonNode?>(v.Key, Object(v.Value)))))));
    }

    /// <summary>Reads metrics written by <see cref="Write"/>.</summary>
    public static EvaluationMetrics Read(JsonObject output)
    {
        ArgumentNullException.ThrowIfNull(output);
        static IReadOnlyDictionary<string, double> Values(JsonNode? node) => node is JsonObject o
            ? o.ToDictionary(p => p.Key, p => p.Value?.GetValue<double>() ?? double.NaN, StringComparer.Ordinal)
            : new Dictionary<string, double>();
        var slices = output["by_slice"] is JsonObject s
            ? s.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>)((JsonObject)p.Value!).ToDictionary(
                v => v.Key, v => Values(v.Value), StringComparer.Ordinal), StringComparer.Ordinal)
            : [];
        return new EvaluationMetrics(Values(output["metrics"]), slices);
    }

    /// <summary>The evaluation spec from settings, falling back to the step that trained the model.</summary>
    public static EvaluationSpec Spec(StepContext context, JsonObject? producer)
    {
        ArgumentNullException.ThrowIfNull(context);
        var label = context.Optional("label") ?? producer?["label"]?.ToString()
            ?? throw new StepFailedException($"step '{context.Step.Name}' needs 'label' (the model was not trained in this run)");
        var taskText = context.Optional("task") ?? producer?["task"]?.ToString() ?? "binary";
        var task = TrainingSpec.ParseTask(taskText) ?? throw new StepFailedException($"unknown task '{taskText}'");
        var positive = context.Optional("positive") ?? producer?["positive"]?.ToString();
        if (task == TrainingTask.Binary && positive is null)
        {
            throw new StepFailedException($"step '{context.Step.Name}' needs 'positive', the positive class of '{label}'");
        }

        var slices = context.Settings["slices"] is JsonArray a ? a.Select(s => s!.ToString()).ToArray() : [];
        return new EvaluationSpec(label, task, positive, slices, context.Number("threshold") ?? 0.5);
    }

    /// <summary>Runs scoring, turning a model or data problem into the step's reason.</summary>
    public static T Run<T>(Func<T> score)
    {
        ArgumentNullException.ThrowIfNull(score);
        try
        {
            return score();
        }
        catch (TrainingException e)
        {
            throw new StepFailedException(e.Message);
        }
        catch (Escala.Onnx.OnnxException e)
        {
            throw new StepFailedException($"the engine could not run the model: {e.Message}");
        }
    }

    private static JsonObject Object(IReadOnlyDictionary<string, double> values) =>
        new(values.Where(v => !double.IsNaN(v.Value)).Select(v => new KeyValuePair<string, JsonNode?>(v.Key, Math.Round(v.Value, 6))));
}
