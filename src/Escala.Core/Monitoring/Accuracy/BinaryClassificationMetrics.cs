namespace Escala.Core.Monitoring.Accuracy;

/// <summary>Ground-truth metrics of a binary classifier over a window.</summary>
/// <param name="Count">Labelled predictions.</param>
/// <param name="TruePositives">Predicted positive (score ≥ threshold), actually positive.</param>
/// <param name="FalsePositives">Predicted positive, actually negative.</param>
/// <param name="TrueNegatives">Predicted negative, actually negative.</param>
/// <param name="FalseNegatives">Predicted negative, actually positive.</param>
/// <param name="Accuracy">(TP + TN) / count.</param>
/// <param name="Precision">TP / (TP + FP); NaN without positive predictions.</param>
/// <param name="Recall">TP / (TP + FN); NaN without positives.</param>
/// <param name="F1">Harmonic mean of precision and recall; NaN when undefined.</param>
/// <param name="RocAuc">Area under the ROC curve (Mann-Whitney U / (P·N), ties count one half); NaN without both classes.</param>
/// <param name="LogLoss">Mean negative log-likelihood, probabilities clipped to [1e-15, 1 - 1e-15].</param>
public sealed record BinaryClassificationMetrics(
    long Count,
    long TruePositives,
    long FalsePositives,
    long TrueNegatives,
    long FalseNegatives,
    double Accuracy,
    double Precision,
    double Recall,
    double F1,
    double RocAuc,
    double LogLoss);
