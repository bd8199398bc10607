using Escala.Core.Monitoring.Baselines;

namespace Escala.Core.Monitoring.Drift;

/// <summary>Reference vs window shares on the bins a report plots (numeric: the PSI bins; categorical: the categories and "other").</summary>
/// <param name="Labels">Bin labels ("(0.25, 0.5]", "Private", "(other)").</param>
/// <param name="Baseline">Reference share of each bin.</param>
/// <param name="Window">Window share of each bin.</param>
public sealed record DriftHistogram(string[] Labels, double[] Baseline, double[] Window);

/// <summary>One column's drift in one window: every statistic computed, and the verdict of the configured method.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Kind">Numeric or categorical.</param>
/// <param name="Method">The method that decided.</param>
/// <param name="Threshold">Its threshold (a distance, or a family-wise significance level).</param>
/// <param name="Score">The method's value: the distance, or the p-value for tests.</param>
/// <param name="Verdict">Stable, drifted or insufficient data.</param>
/// <param name="BaselineCount">Reference values present.</param>
/// <param name="WindowCount">Window values present (binned).</param>
/// <param name="BaselineMissingRate">Reference missing rate.</param>
/// <param name="WindowMissingRate">Window missing rate.</param>
/// <param name="WindowInvalid">Window values that were not numbers (numeric columns).</param>
/// <param name="Psi">Population Stability Index.</param>
/// <param name="JensenShannon">Jensen-Shannon distance, base 2.</param>
/// <param name="SignificancePValue">The p-value of the significance test (KS for numeric, chi-square for categorical).</param>
/// <param name="KsStatistic">KS D (numeric).</param>
/// <param name="KsPValue">KS p-value (numeric).</param>
/// <param name="Wasserstein">Wasserstein-1 in the feature's units (numeric).</param>
/// <param name="WassersteinNormalized">Wasserstein-1 / reference standard deviation (numeric).</param>
/// <param name="ChiSquare">Chi-square statistic (categorical; categories with expected count below 5 pooled).</param>
/// <param name="ChiSquareDegreesOfFreedom">Its degrees of freedom.</param>
/// <param name="ChiSquarePValue">Its p-value.</param>
/// <param name="WindowMean">Window mean (numeric).</param>
/// <param name="BaselineMean">Reference mean (numeric).</param>
/// <param name="Histogram">Shares for plotting.</param>
public sealed record FeatureDrift(
    string Name,
    FeatureKind Kind,
    DriftMethod Method,
    double Threshold,
    double Score,
    DriftVerdict Verdict,
    long BaselineCount,
    long WindowCount,
    double BaselineMissingRate,
    double WindowMissingRate,
    long WindowInvalid,
    double Psi,
    double JensenShannon,
    double SignificancePValue,
    double? KsStatistic,
    double? KsPValue,
    double? Wasserstein,
    double? WassersteinNormalized,
    double? ChiSquare,
    int? ChiSquareDegreesOfFreedom,
    double? ChiSquarePValue,
    double? WindowMean,
    double? BaselineMean,
    DriftHistogram Histogram);
