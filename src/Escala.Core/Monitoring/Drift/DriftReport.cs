using System.Text.Json;
using System.Text.Json.Serialization;

namespace Escala.Core.Monitoring.Drift;

/// <summary>Drift of one window against the baseline: every feature, the prediction, and the summary an alert rule reads.</summary>
/// <param name="Start">Window start.</param>
/// <param name="End">Window end.</param>
/// <param name="Rows">Rows in the window.</param>
/// <param name="ColumnsJudged">Columns with enough data (the Bonferroni divisor).</param>
/// <param name="Alpha">Family-wise significance level.</param>
/// <param name="Features">Per-feature drift, in baseline order.</param>
/// <param name="Prediction">Prediction drift, when the baseline profiles the prediction.</param>
public sealed record DriftReport(
    DateTimeOffset Start,
    DateTimeOffset End,
    long Rows,
    int ColumnsJudged,
    double Alpha,
    IReadOnlyList<FeatureDrift> Features,
    FeatureDrift? Prediction)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Names of the drifted features (the prediction excluded).</summary>
    public IReadOnlyList<string> DriftedFeatures =>
        [.. Features.Where(f => f.Verdict == DriftVerdict.Drifted).Select(f => f.Name)];

    /// <summary>True when at least one feature drifted.</summary>
    public bool AnyFeatureDrift => Features.Any(f => f.Verdict == DriftVerdict.Drifted);

    /// <summary>Fraction of judged features that drifted (a single number for an alert rule).</summary>
    public double DriftedShare
    {
        get
        {
            var judged = Features.Count(f => f.Verdict != DriftVerdict.InsufficientData);
            return judged == 0 ? 0 : (double)Features.Count(f => f.Verdict == DriftVerdict.Drifted) / judged;
        }
    }

    /// <summary>The report as JSON (camelCase, enums as strings) for the drift API.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a report written by <see cref="ToJson"/> (e.g. stored with its window); throws <see cref="FormatException"/> when malformed.</summary>
    public static DriftReport FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var report = JsonSerializer.Deserialize<DriftReport>(json, JsonOptions);
            return report?.Features is null || report.Features.Any(f => f?.Histogram is null)
                ? throw new FormatException("The drift report JSON lacks its features or a feature's histogram.")
                : report;
        }
        catch (JsonException e)
        {
            throw new FormatException($"The drift report JSON is malformed: {e.Message}", e);
        }
    }
}
