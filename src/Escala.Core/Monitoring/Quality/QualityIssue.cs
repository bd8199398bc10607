using System.Globalization;
using Escala.Core.Monitoring.Baselines;

namespace Escala.Core.Monitoring.Quality;

/// <summary>One problem found in a request row: which field, what problem, and the offending value.</summary>
/// <param name="FeatureIndex">Index of the feature in the baseline.</param>
/// <param name="Feature">Feature name (the baseline's string; no allocation).</param>
/// <param name="Problem">What is wrong.</param>
/// <param name="Value">The value received.</param>
/// <param name="Low">Lowest accepted number (out-of-range problems).</param>
/// <param name="High">Highest accepted number (out-of-range problems).</param>
public readonly record struct QualityIssue(
    int FeatureIndex,
    string Feature,
    QualityProblem Problem,
    FeatureValue Value,
    double Low = 0,
    double High = 0)
{
    /// <summary>A sentence for a problem-details body or a log line (allocates; call it only for rows with issues).</summary>
    public string Describe() => Problem switch
    {
        QualityProblem.Missing => $"Field '{Feature}' is missing; give it a value.",
        QualityProblem.WrongType => $"Field '{Feature}' must be a number; got text '{Value}'.",
        QualityProblem.OutOfRange => string.Create(CultureInfo.InvariantCulture, $"Field '{Feature}' is {Value}, outside the accepted range [{Low:G6}, {High:G6}] (the baseline's range plus tolerance)."),
        QualityProblem.UnseenCategory => $"Field '{Feature}' has category '{Value}', which the baseline never saw.",
        _ => $"Field '{Feature}': {Problem}.",
    };
}
