using System.Globalization;
using System.Text.Json.Nodes;
using Escala.Core.Pipelines;

namespace Escala.Training.Pipelines;

/// <summary>
/// Turns a step's settings into JSON with every <c>${...}</c> replaced: <c>${step}</c> is that step's outputs,
/// <c>${step.key.sub}</c> one of them, <c>${params.name}</c> a run parameter, <c>${run.id}</c> the run. A setting that is
/// exactly one reference takes the referenced value as it is (an object, a number); inside text it is written as text.
/// </summary>
public static class ReferenceResolver
{
    /// <summary>The resolved settings; throws <see cref="StepFailedException"/> naming a reference that has no value.</summary>
    public static JsonObject Resolve(MapSetting settings, PipelineRun run, IReadOnlyDictionary<string, JsonObject> outputs) =>
        (JsonObject)Resolve((SettingValue)settings, run, outputs)!;

    private static JsonNode? Resolve(SettingValue value, PipelineRun run, IReadOnlyDictionary<string, JsonObject> outputs)
    {
        switch (value)
        {
            case MapSetting map:
                return new JsonObject(map.Entries.Select(e => new KeyValuePair<string, JsonNode?>(e.Key, Resolve(e.Value, run, outputs))));
            case ListSetting list:
                return new JsonArray([.. list.Items.Select(i => Resolve(i, run, outputs))]);
            case ScalarSetting scalar:
                var matches = PipelineYaml.ReferencePattern().Matches(scalar.Text);
                if (matches.Count == 1 && matches[0].Length == scalar.Text.Length)
                {
                    return Lookup(matches[0].Groups[1].Value.Trim(), scalar.Line, run, outputs)?.DeepClone();
                }

                return JsonValue.Create(PipelineYaml.ReferencePattern().Replace(scalar.Text, m =>
                    Lookup(m.Groups[1].Value.Trim(), scalar.Line, run, outputs) switch
                    {
                        JsonValue v => v.ToString(),
                        null => string.Empty,
                        var other => other.ToJsonString(),
                    }));
            default:
                return null;
        }
    }

    private static JsonNode? Lookup(string reference, int line, PipelineRun run, IReadOnlyDictionary<string, JsonObject> outputs)
    {
        var parts = reference.Split('.');
        switch (parts[0])
        {
            case "params":
                return run.Parameters.TryGetValue(string.Join('.', parts.Skip(1)), out var p)
                    ? JsonValue.Create(p)
                    : throw new StepFailedException($"line {line}: ${{{reference}}} has no value: the run has no parameter '{string.Join('.', parts.Skip(1))}'");
            case "run" when parts.Length == 2 && parts[1] == "id":
                return JsonValue.Create(run.Id.ToString(CultureInfo.InvariantCulture));
            case "run" when parts.Length == 2 && parts[1] == "trigger":
                return JsonValue.Create(run.Trigger.Kind);
        }

        if (!outputs.TryGetValue(parts[0], out var node))
        {
            throw new StepFailedException($"line {line}: ${{{reference}}} has no value: step '{parts[0]}' has not run");
        }

        JsonNode? current = node;
        foreach (var part in parts.Skip(1))
        {
            current = current is JsonObject o && o.TryGetPropertyValue(part, out var next)
                ? next
                : throw new StepFailedException($"line {line}: ${{{reference}}} has no value: step '{parts[0]}' has no output '{part}' (it has {string.Join(", ", node.Select(p => p.Key))})");
        }

        return current;
    }
}
