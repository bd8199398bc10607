using System.Globalization;
using System.Text.Json.Nodes;
using Escala.Training.Datasets;
using Escala.Training.Trainers;

namespace Escala.Training.Pipelines.Steps;

/// <summary>
/// <c>train</c> with a built-in trainer: reads the dataset, trains with ML.NET, stores the exported ONNX in the
/// artifact store and returns its id with the data fingerprint (for lineage). <c>trainer: command</c> goes to
/// <see cref="CommandTrainStep"/>.
/// </summary>
public sealed class TrainStep : IPipelineStep
{
    /// <inheritdoc/>
    public string Type => "train";

    /// <inheritdoc/>
    public bool Cacheable => true;

    /// <inheritdoc/>
    public async Task<JsonObject> ExecuteAsync(StepContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Text("trainer") == "command")
        {
            return await CommandTrainStep.ExecuteAsync(context);
        }

        var trainer = TrainingSpec.ParseTrainer(context.Text("trainer"))
            ?? throw new StepFailedException($"unknown trainer '{context.Text("trainer")}'; use lightgbm, fasttree, logistic, linear or command");
        var task = TrainingSpec.ParseTask(context.Optional("task") ?? "binary")
            ?? throw new StepFailedException($"unknown task '{context.Optional("task")}'; use binary, multiclass or regression");
        var (dataset, path) = await context.DatasetAsync(context.Text("data"));
        context.Log($"data {dataset.Ref} ({dataset.Rows:N0} rows, {dataset.Fingerprint})");
        CsvSchema schema;
        try
        {
            schema = CsvSchema.Read(path);
        }
        catch (InvalidDataException e)
        {
            throw new StepFailedException($"the dataset {dataset.Ref} is not valid CSV: {e.Message}");
        }

        var hyper = new Dictionary<string, double>(StringComparer.Ordinal);
        if (context.Settings["params"] is JsonObject ps)
        {
            foreach (var (key, value) in ps)
            {
                hyper[key] = double.TryParse(value?.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                    ? n : throw new StepFailedException($"trainer parameter '{key}' must be a number");
            }
        }

        var features = context.Settings["features"] is JsonArray fs ? fs.Select(f => f!.ToString()).ToArray() : null;
        var spec = new TrainingSpec(trainer, task, context.Text("label"), context.Optional("positive"), features, hyper,
            (int)(context.Number("seed") ?? 1));
        context.Log($"training {context.Text("trainer")} ({task.ToString().ToLowerInvariant()}) on label '{spec.Label}'");
        TrainedModel model;
        try
        {
            model = await Task.Run(() => MlNetTrainer.Train(path, schema, spec, context.CancellationToken), context.CancellationToken);
        }
        catch (TrainingException e)
        {
            throw new StepFailedException(e.Message);
        }

        var put = await context.Services.Artifacts.PutAsync(model.Onnx, context.CancellationToken);
        context.Log($"trained in {model.Duration.TotalSeconds:0.0} s; model {put.Id} ({put.Size:N0} bytes), inputs: {string.Join(", ", model.Features.Select(f => f.Name))}");
        return new JsonObject
        {
            ["model"] = put.Id.ToString(),
            ["trainer"] = context.Text("trainer"),
            ["task"] = task.ToString().ToLowerInvariant(),
            ["label"] = spec.Label,
            ["positive"] = model.Classes.Count == 2 ? model.Classes[1] : null,
            ["classes"] = new JsonArray([.. model.Classes.Select(c => JsonValue.Create(c))]),
            ["features"] = new JsonArray([.. model.Features.Select(f => JsonValue.Create(f.Name))]),
            ["params"] = new JsonObject(hyper.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))),
            ["data"] = dataset.Ref,
            ["fingerprint"] = dataset.Fingerprint,
            ["rows"] = dataset.Rows,
            ["training_seconds"] = Math.Round(model.Duration.TotalSeconds, 3),
        };
    }
}
