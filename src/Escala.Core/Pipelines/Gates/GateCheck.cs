using System.Globalization;

namespace Escala.Core.Pipelines.Gates;

/// <summary>Metrics of one model on one holdout: overall, and per slice column and value.</summary>
public sealed record EvaluationMetrics(
    IReadOnlyDictionary<string, double> Overall,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>> Slices);

/// <summary>
/// Applies threshold and no-regression rules to a candidate's metrics and the champion's on the same holdout (TFX
/// semantics: change thresholds are skipped, and say so, when there is no champion; a metric missing from either side
/// fails). Latency and data-validation outcomes are measured by the caller and passed in.
/// </summary>
public static class GateCheck
{
    /// <summary>The outcome of a threshold or no-regression rule.</summary>
    public static GateOutcome Apply(GateRule rule, EvaluationMetrics candidate, EvaluationMetrics? champion, string? championName)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(candidate);
        var name = rule.Describe();
        var metric = rule.Metric!;
        switch (rule.Kind)
        {
            case GateRuleKind.Threshold:
                if (!candidate.Overall.TryGetValue(metric, out var value) || double.IsNaN(value))
                {
                    return new GateOutcome(name, false, $"the evaluation has no '{metric}' (it has {string.Join(", ", candidate.Overall.Keys)})");
                }

                var low = rule.Min is { } min && value < min;
                var high = rule.Max is { } max && value > max;
                return new GateOutcome(name, !low && !high, string.Create(CultureInfo.InvariantCulture,
                    $"{metric} = {value:0.####}{(low ? $", below the minimum {rule.Min:0.####}" : high ? $", above the maximum {rule.Max:0.####}" : string.Empty)}"));
            case GateRuleKind.NoRegression:
                if (champion is null)
                {
                    return new GateOutcome(name, true, "no champion yet: the first model passes change rules", Skipped: true);
                }

                var pairs = rule.Slice is null
                    ? [("overall", candidate.Overall, champion.Overall)]
                    : SlicePairs(rule.Slice, candidate, champion);
                if (pairs.Count == 0)
                {
                    return new GateOutcome(name, false, $"the evaluation has no '{rule.Slice}' slices; add it to the evaluate step's 'slices'");
                }

                var failures = new List<string>();
                var compared = new List<string>();
                foreach (var (slice, mine, theirs) in pairs)
                {
                    if (!mine.TryGetValue(metric, out var c) || !theirs.TryGetValue(metric, out var b) || double.IsNaN(c) || double.IsNaN(b))
                    {
                        failures.Add($"{slice}: '{metric}' missing on {(mine.ContainsKey(metric) ? "the champion" : "the candidate")}");
                        continue;
                    }

                    var allowed = rule.Relative ? Math.Abs(b) * rule.Margin!.Value : rule.Margin!.Value;
                    var worse = GateRule.LowerIsBetter(metric) ? c - b : b - c;
                    var text = string.Create(CultureInfo.InvariantCulture, $"{slice}: {c:0.####} vs champion {b:0.####}");
                    compared.Add(text);
                    if (worse > allowed + 1e-12)
                    {
                        failures.Add(string.Create(CultureInfo.InvariantCulture, $"{text} (worse by {worse:0.####}, allowed {allowed:0.####})"));
                    }
                }

                return failures.Count == 0
                    ? new GateOutcome(name, true, $"{string.Join(", ", compared)} ({championName})")
                    : new GateOutcome(name, false, $"{string.Join("; ", failures)} ({championName})");
            default:
                throw new ArgumentException($"{rule.Kind} rules are measured by the caller.", nameof(rule));
        }
    }

    private static List<(string, IReadOnlyDictionary<string, double>, IReadOnlyDictionary<string, double>)> SlicePairs(
        string column, EvaluationMetrics candidate, EvaluationMetrics champion)
    {
        var pairs = new List<(string, IReadOnlyDictionary<string, double>, IReadOnlyDictionary<string, double>)>();
        if (!candidate.Slices.TryGetValue(column, out var mine) || !champion.Slices.TryGetValue(column, out var theirs))
        {
            return pairs;
        }

        foreach (var (value, metrics) in mine.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (theirs.TryGetValue(value, out var other))
            {
                pairs.Add(($"{column}={value}", metrics, other));
            }
        }

        return pairs;
    }
}
