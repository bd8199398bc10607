using System.Globalization;
using System.Text.Json.Nodes;
using Escala.Core.Pipelines;
using Escala.Core.Pipelines.Gates;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Training.Datasets;
using Escala.Training.Evaluation;

namespace Escala.Training.Pipelines.Steps;

/// <summary>
/// <c>gate</c>: applies its rules to an evaluation and fails the run, naming each failing rule with its numbers, unless
/// all pass. The champion is the production version of the model named by <c>champion</c>; it is scored on the same
/// holdout for change rules. Without one, change rules pass and say so.
/// </summary>
public sealed class GateStep : IPipelineStep
{
    /// <inheritdoc/>
    public string Type => "gate";

    /// <inheritdoc/>
    public bool Cacheable => false;

    /// <inheritdoc/>
    public async Task<JsonObject> ExecuteAsync(StepContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var evaluation = context.Settings["evaluation"] as JsonObject
            ?? throw new StepFailedException($"step '{context.Step.Name}': 'evaluation' must refer to an evaluate step, e.g. ${{evaluate}}");
        var rules = (context.Settings["rules"] as JsonArray ?? []).Select(r => ReadRule(r, context)).ToArray();
        var candidate = EvaluateStep.Read(evaluation);
        var (dataset, path) = await context.DatasetAsync(evaluation["data"]!.ToString());
        var table = CsvTable.Read(path);
        var label = evaluation["label"]?.ToString();
        var champion = await ChampionAsync(context);
        EvaluationMetrics? championMetrics = null;
        if (champion is { } c && rules.Any(r => r.Kind == GateRuleKind.NoRegression))
        {
            var spec = new EvaluationSpec(label!, Trainers.TrainingSpec.ParseTask(evaluation["task"]!.ToString())!.Value, evaluation["positive"]?.ToString(),
                [.. rules.Where(r => r.Slice is not null).Select(r => r.Slice!).Distinct()]);
            championMetrics = EvaluateStep.Run(() => HoldoutEvaluator.Evaluate(c.Bytes, table, spec));
            context.Log($"champion {c.Version.Ref} on {dataset.Ref}: {string.Join(", ", championMetrics.Overall.Select(m => $"{m.Key} {m.Value:0.####}"))}");
        }
        else if (champion is null)
        {
            context.Log("no champion in production: change rules pass as the first model's");
        }

        var candidateModel = await context.Services.Artifacts.LoadAsync(
            Core.Artifacts.ArtifactId.Parse(evaluation["model"]!.ToString()[7..]), context.CancellationToken);
        if (rules.Any(r => r.Slice is not null && r.Kind == GateRuleKind.NoRegression && !candidate.Slices.ContainsKey(r.Slice)))
        {
            var spec = EvaluateStep.Spec(context, evaluation) with { Slices = [.. rules.Where(r => r.Slice is not null).Select(r => r.Slice!).Distinct()] };
            candidate = EvaluateStep.Run(() => HoldoutEvaluator.Evaluate(candidateModel, table, spec));
        }

        var outcomes = new List<GateOutcome>();
        foreach (var rule in rules)
        {
            var outcome = rule.Kind switch
            {
                GateRuleKind.Latency => Latency(rule, candidateModel, table, label),
                GateRuleKind.DataValidation => DataValidation(rule, champion?.Version, table),
                _ => GateCheck.Apply(rule, candidate, championMetrics, champion?.Version.Ref.ToString()),
            };
            context.Log($"{(outcome.Passed ? outcome.Skipped ? "SKIP" : "PASS" : "FAIL")} {outcome.Rule}: {outcome.Detail}");
            outcomes.Add(outcome);
        }

        var result = new GateResult(outcomes.All(o => o.Passed), outcomes);
        if (!result.Passed)
        {
            throw new StepFailedException($"gate failed: {result.Summary}");
        }

        return new JsonObject
        {
            ["passed"] = true,
            ["champion"] = champion?.Version.Ref.ToString(),
            ["rules"] = new JsonArray([.. outcomes.Select(o => new JsonObject { ["rule"] = o.Rule, ["passed"] = o.Passed, ["skipped"] = o.Skipped, ["detail"] = o.Detail })]),
            ["model"] = evaluation["model"]!.ToString(),
        };
    }

    private static GateRule ReadRule(JsonNode? node, StepContext context)
    {
        try
        {
            return GateRuleReader.Read(Setting(node));
        }
        catch (FormatException e)
        {
            throw new StepFailedException($"step '{context.Step.Name}': {e.Message}");
        }
    }

    private static SettingValue Setting(JsonNode? node) => node switch
    {
        JsonObject o => new MapSetting([.. o.Select(p => new KeyValuePair<string, SettingValue>(p.Key, Setting(p.Value)))], 0),
        JsonArray a => new ListSetting([.. a.Select(Setting)], 0),
        _ => new ScalarSetting(node?.ToString() ?? string.Empty, 0),
    };

    private static async Task<(ModelVersion Version, byte[] Bytes)?> ChampionAsync(StepContext context)
    {
        if (context.Optional("champion") is not { } model)
        {
            return null;
        }

        IReadOnlyList<ModelVersion> versions;
        try
        {
            versions = await context.Services.Registry.ListVersionsAsync(model, context.CancellationToken);
        }
        catch (ProblemException e) when (e.Type == ProblemTypes.NotFound)
        {
            return null;
        }

        var production = versions.LastOrDefault(v => v.Stage == Stage.Production);
        return production is null
            ? null
            : (production, (await context.Services.Registry.LoadArtifactAsync(model, production.Version.ToString(CultureInfo.InvariantCulture), context.CancellationToken)).Bytes);
    }

    private static GateOutcome Latency(GateRule rule, byte[] model, CsvTable table, string? label)
    {
        var (p50, p99) = EvaluateStep.Run(() => HoldoutEvaluator.Latency(model, table, label));
        var budget = rule.LatencyBudgetMs ?? 0;
        var detail = string.Create(CultureInfo.InvariantCulture, $"engine p99 {p99:0.###} ms (p50 {p50:0.###} ms) over {Math.Min(200, table.Rows.Count)} single-row runs");
        return new GateOutcome(rule.Describe(), p99 <= budget, p99 <= budget ? detail : $"{detail}, over the budget {rule.LatencyBudgetMs:0.###} ms");
    }

    private static GateOutcome DataValidation(GateRule rule, ModelVersion? champion, CsvTable table)
    {
        if (champion is null)
        {
            return new GateOutcome(rule.Describe(), true, "no champion yet: nothing to compare the data with", Skipped: true);
        }

        var problems = new List<string>();
        foreach (var input in champion.Signature?.Inputs ?? [])
        {
            var index = table.IndexOf(input.Name);
            if (index < 0)
            {
                problems.Add($"column '{input.Name}' (the champion's input) is missing");
                continue;
            }

            var numeric = table.Rows.All(r => r[index].Length == 0 || double.TryParse(r[index], NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            if (input.ElementType != "string" && !numeric)
            {
                problems.Add($"column '{input.Name}' is {(numeric ? "numeric" : "text")} but the champion takes {input.ElementType}");
            }
        }

        return problems.Count == 0
            ? new GateOutcome(rule.Describe(), true, $"every input of {champion.Ref} ({champion.Signature?.Inputs.Count ?? 0}) is a column of the right type")
            : new GateOutcome(rule.Describe(), false, string.Join("; ", problems));
    }
}
