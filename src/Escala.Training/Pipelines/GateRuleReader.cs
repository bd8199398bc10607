using System.Globalization;
using Escala.Core.Monitoring.Alerts;
using Escala.Core.Pipelines;
using Escala.Core.Pipelines.Gates;

namespace Escala.Training.Pipelines;

/// <summary>
/// Reads a gate rule from its YAML form: <c>{metric, min, max}</c>, <c>{metric, max_drop: 0.01 | 2%, slice}</c>,
/// <c>{latency_p99_ms: 5}</c> or <c>{data: matches-champion}</c>.
/// </summary>
public static class GateRuleReader
{
    /// <summary>Why the rule cannot be read, or null.</summary>
    public static string? Explain(SettingValue rule)
    {
        if (PipelineYaml.References(rule).Any())
        {
            return null; // Checked when the run resolves the parameters.
        }

        try
        {
            Read(rule);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    /// <summary>The rule; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static GateRule Read(SettingValue rule)
    {
        if (rule is not MapSetting map)
        {
            throw new FormatException("a gate rule is a mapping such as '{metric: auc, min: 0.9}'");
        }

        if (map["latency_p99_ms"] is { } latency)
        {
            return new GateRule(GateRuleKind.Latency, LatencyBudgetMs: Number(latency, "latency_p99_ms"));
        }

        if (map["data"] is { } data)
        {
            return data is ScalarSetting { Text: "matches-champion" }
                ? new GateRule(GateRuleKind.DataValidation)
                : throw new FormatException("the data rule is 'data: matches-champion'");
        }

        var metric = (map["metric"] as ScalarSetting)?.Text
            ?? throw new FormatException("a gate rule needs 'metric' (or is 'latency_p99_ms: N' or 'data: matches-champion')");
        if (!AlertMetrics.AccuracyMetrics.ContainsKey(metric))
        {
            throw new FormatException($"unknown metric '{metric}'; use one of {string.Join(", ", AlertMetrics.AccuracyMetrics.Keys)}");
        }

        var slice = (map["slice"] as ScalarSetting)?.Text;
        if (map["max_drop"] is { } drop)
        {
            var text = (drop as ScalarSetting)?.Text ?? string.Empty;
            var relative = text.EndsWith('%');
            var margin = Number(relative ? new ScalarSetting(text[..^1], drop.Line) : drop, "max_drop");
            return new GateRule(GateRuleKind.NoRegression, metric, Margin: relative ? margin / 100 : margin, Relative: relative, Slice: slice);
        }

        double? min = map["min"] is { } m ? Number(m, "min") : null;
        double? max = map["max"] is { } x ? Number(x, "max") : null;
        return min is null && max is null
            ? throw new FormatException($"the rule on '{metric}' needs 'min', 'max' or 'max_drop' (absolute, or relative with %)")
            : new GateRule(GateRuleKind.Threshold, metric, min, max, Slice: slice);
    }

    private static double Number(SettingValue value, string key) =>
        value is ScalarSetting s && double.TryParse(s.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new FormatException($"'{key}' must be a non-negative number, got '{(value as ScalarSetting)?.Text}'");
}
