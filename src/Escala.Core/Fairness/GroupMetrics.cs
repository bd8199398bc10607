namespace Escala.Core.Fairness;

/// <summary>
/// The metrics of one group (Fairlearn's <c>MetricFrame.by_group</c>): selection rate = predicted positives / rows;
/// TPR = true positives / actual positives; FPR = false positives / actual negatives; accuracy = correct / labelled rows.
/// A rate whose denominator is 0 is null.
/// </summary>
/// <param name="Group">The group.</param>
/// <param name="Count">Rows.</param>
/// <param name="Labelled">Rows with a true label.</param>
/// <param name="SelectionRate">Share of rows predicted positive.</param>
/// <param name="TruePositiveRate">Share of actual positives predicted positive.</param>
/// <param name="FalsePositiveRate">Share of actual negatives predicted positive.</param>
/// <param name="Accuracy">Share of labelled rows predicted right.</param>
/// <param name="TooSmall">Fewer rows than the minimum group size: shown, not compared.</param>
public sealed record GroupMetrics(
    string Group, int Count, int Labelled, double? SelectionRate, double? TruePositiveRate, double? FalsePositiveRate, double? Accuracy, bool TooSmall);

/// <summary>A disparity between groups with its bootstrap confidence interval.</summary>
/// <param name="Value">The disparity over the compared groups, or null when fewer than two groups have the rate.</param>
/// <param name="Lower">Lower bound of the percentile bootstrap interval.</param>
/// <param name="Upper">Upper bound.</param>
public sealed record Disparity(double? Value, double? Lower, double? Upper);

/// <summary>Fairness of a binary classifier's predictions across the groups of one sensitive attribute (or a combination).</summary>
/// <param name="Attribute">The sensitive attribute(s), e.g. <c>sex</c> or <c>sex+race</c>.</param>
/// <param name="Groups">Per group, largest first.</param>
/// <param name="Compared">The groups the disparities are computed over (those with at least the minimum size).</param>
/// <param name="DemographicParityDifference">max − min selection rate.</param>
/// <param name="DemographicParityRatio">min / max selection rate.</param>
/// <param name="EqualOpportunityDifference">max − min true positive rate.</param>
/// <param name="EqualizedOddsDifference">max(TPR difference, FPR difference).</param>
/// <param name="EqualizedOddsRatio">min(TPR ratio, FPR ratio).</param>
/// <param name="DisparateImpactRatio">min / max selection rate (the same number as the demographic parity ratio, under its legal name).</param>
/// <param name="FourFifthsViolated">True when the disparate impact ratio is below the four-fifths threshold.</param>
/// <param name="Confidence">Coverage of the intervals.</param>
/// <param name="BootstrapSamples">Resamples behind them.</param>
/// <param name="MinGroupSize">The minimum group size used.</param>
/// <param name="Notes">What could not be compared, and why.</param>
public sealed record FairnessReport(
    string Attribute,
    IReadOnlyList<GroupMetrics> Groups,
    IReadOnlyList<string> Compared,
    Disparity DemographicParityDifference,
    Disparity DemographicParityRatio,
    Disparity EqualOpportunityDifference,
    Disparity EqualizedOddsDifference,
    Disparity EqualizedOddsRatio,
    Disparity DisparateImpactRatio,
    bool? FourFifthsViolated,
    double Confidence,
    int BootstrapSamples,
    int MinGroupSize,
    IReadOnlyList<string> Notes);
