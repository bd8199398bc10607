namespace Escala.Core.Monitoring.Accuracy;

/// <summary>Ground-truth metrics of a multi-class classifier over a window.</summary>
/// <param name="Count">Labelled predictions.</param>
/// <param name="Accuracy">Share of correct labels.</param>
/// <param name="MacroPrecision">Unweighted mean of per-class precision over the classes seen in truth or predictions (an undefined ratio counts 0, as scikit-learn).</param>
/// <param name="MacroRecall">Unweighted mean of per-class recall over the same classes.</param>
/// <param name="MacroF1">Unweighted mean of per-class F1 over the same classes.</param>
/// <param name="LogLoss">Mean -ln(probability given to the true class), clipped at 1e-15; NaN when no probability was given.</param>
/// <param name="Confusion">Counts [actual, predicted], row-major, classes x classes.</param>
public sealed record MulticlassMetrics(long Count, double Accuracy, double MacroPrecision, double MacroRecall, double MacroF1, double LogLoss, long[] Confusion);
