using System.Globalization;
using Escala.Core.Problems;

namespace Escala.Core.Rollouts;

/// <summary>How a measured value is compared with a gate's threshold.</summary>
public enum GateOperator
{
    /// <summary>The value must be at most the threshold.</summary>
    AtMost,

    /// <summary>The value must be at least the threshold.</summary>
    AtLeast,
}

/// <summary>A KPI gate such as <c>error_rate&lt;=0.01</c>: a metric measured on the served waves' live traffic, an operator and a threshold.</summary>
public sealed record GateSpec(string Metric, GateOperator Operator, double Threshold)
{
    /// <summary>The metrics a gate may name, with what they measure.</summary>
    public static readonly IReadOnlyList<(string Name, string Meaning)> Metrics =
    [
        ("error_rate", "failed predictions / predictions of the served departments since the last wave"),
        ("p99_latency_ms", "99th percentile latency in milliseconds of the served departments' requests"),
        ("accuracy", "accuracy from ground truth (or the task's main metric) of the plan's version"),
        ("accuracy_drop", "registered accuracy minus live accuracy (positive = worse)"),
        ("adoption_depth", "active users over the last 7 days / headcount of the served departments"),
        ("satisfaction", "mean rating (1-5; thumbs up = 5, down = 1) from the served departments since the last wave"),
        ("cost_per_1000", "the month's cost per 1,000 predictions of the use case"),
    ];

    /// <summary>The gates a plan gets when it names none.</summary>
    public static readonly IReadOnlyList<GateSpec> Defaults =
    [
        new("error_rate", GateOperator.AtMost, 0.01),
        new("p99_latency_ms", GateOperator.AtMost, 500),
        new("adoption_depth", GateOperator.AtLeast, 0.3),
        new("satisfaction", GateOperator.AtLeast, 3.5),
    ];

    /// <summary><c>metric&lt;=value</c> or <c>metric&gt;=value</c>.</summary>
    public override string ToString() =>
        $"{Metric}{(Operator == GateOperator.AtMost ? "<=" : ">=")}{Threshold.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>True when <paramref name="value"/> meets the threshold.</summary>
    public bool Passes(double value) => Operator == GateOperator.AtMost ? value <= Threshold : value >= Threshold;

    /// <summary>Parses <c>error_rate&lt;=0.01</c>; throws validation-failed saying what is wrong.</summary>
    public static GateSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.IndexOf("<=", StringComparison.Ordinal);
        var op = GateOperator.AtMost;
        if (at < 0)
        {
            at = text.IndexOf(">=", StringComparison.Ordinal);
            op = GateOperator.AtLeast;
        }

        if (at <= 0)
        {
            throw ProblemTypes.ValidationFailed.With($"The gate '{Naming.ResourceName.Printable(text)}' must read METRIC<=VALUE or METRIC>=VALUE, e.g. error_rate<=0.01.");
        }

        var metric = text[..at].Trim();
        if (!Metrics.Any(m => m.Name == metric))
        {
            throw ProblemTypes.ValidationFailed.With(
                $"There is no gate metric '{Naming.ResourceName.Printable(metric)}'; the metrics are {string.Join(", ", Metrics.Select(m => m.Name))}.");
        }

        if (!double.TryParse(text[(at + 2)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) || !double.IsFinite(threshold) || threshold < 0)
        {
            throw ProblemTypes.ValidationFailed.With($"The gate '{Naming.ResourceName.Printable(text)}' needs a non-negative number after the operator.");
        }

        return new GateSpec(metric, op, threshold);
    }
}

/// <summary>A value measured for a gate, or null with the reason there is none yet.</summary>
public sealed record Measurement(double? Value, string Detail)
{
    /// <summary>No data yet, saying what is missing.</summary>
    public static Measurement None(string why) => new(null, why);
}

/// <summary>What kind of gate a result is.</summary>
public enum GateKind
{
    /// <summary>A department's readiness checklist.</summary>
    Readiness,

    /// <summary>The soak period since the previous wave.</summary>
    Soak,

    /// <summary>A KPI measured on the served waves' traffic.</summary>
    Kpi,
}

/// <summary>One gate's verdict with the value measured, the threshold and why.</summary>
public sealed record GateResult(string Name, GateKind Kind, double? Measured, string Threshold, bool Passed, string Detail);
