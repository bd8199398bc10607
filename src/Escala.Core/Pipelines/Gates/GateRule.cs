namespace Escala.Core.Pipelines.Gates;

/// <summary>What a gate rule checks.</summary>
public enum GateRuleKind
{
    /// <summary>A metric at least <c>min</c> and/or at most <c>max</c>.</summary>
    Threshold,

    /// <summary>No regression against the champion beyond a margin (absolute or relative), optionally per slice.</summary>
    NoRegression,

    /// <summary>The engine's p99 latency per row on a sample batch under a budget.</summary>
    Latency,

    /// <summary>The training data's columns and types match the champion's signature (its drift against the champion's baseline is reported).</summary>
    DataValidation,
}

/// <summary>
/// One gate rule, as in TFX's value and change thresholds: <see cref="Min"/>/<see cref="Max"/> bound the metric;
/// <see cref="Margin"/> is how far it may move in the bad direction from the champion's value on the same holdout
/// (absolute, or a fraction of the champion's value when <see cref="Relative"/>), per slice value when
/// <see cref="Slice"/> names a column.
/// </summary>
public sealed record GateRule(
    GateRuleKind Kind,
    string? Metric = null,
    double? Min = null,
    double? Max = null,
    double? Margin = null,
    bool Relative = false,
    string? Slice = null,
    double? LatencyBudgetMs = null)
{
    /// <summary>Metrics where lower is better; every other metric is higher-is-better.</summary>
    public static bool LowerIsBetter(string metric) => metric is "log_loss" or "mae" or "rmse";

    /// <summary>How the rule reads in a report.</summary>
    public string Describe() => Kind switch
    {
        GateRuleKind.Threshold => $"{Metric}{(Min is { } min ? $" >= {min:0.####}" : string.Empty)}{(Max is { } max ? $" <= {max:0.####}" : string.Empty)}",
        GateRuleKind.NoRegression => $"{Metric} no worse than the champion by {(Relative ? $"{Margin * 100:0.##}%" : $"{Margin:0.####}")}{(Slice is null ? string.Empty : $" in every '{Slice}' slice")}",
        GateRuleKind.Latency => $"engine p99 <= {LatencyBudgetMs:0.###} ms per row",
        _ => "training data matches the champion's signature",
    };
}
