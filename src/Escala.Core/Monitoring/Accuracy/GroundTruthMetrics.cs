using Escala.Core.Monitoring.Settings;

namespace Escala.Core.Monitoring.Accuracy;

/// <summary>
/// Ground-truth metrics of one version (optionally one department) over a set of labels, computed with the Core
/// accumulators: accuracy, precision, recall, F1, ROC AUC and log loss for binary classifiers; accuracy, macro
/// precision/recall/F1 and log loss for multiclass; MAE, RMSE and R² for regressors.
/// </summary>
/// <param name="Target">The version.</param>
/// <param name="Department">The department, or null for all of them.</param>
/// <param name="Task">How the labels were scored.</param>
/// <param name="Labels">Labels counted.</param>
/// <param name="Binary">Binary metrics.</param>
/// <param name="Multiclass">Multiclass metrics.</param>
/// <param name="Regression">Regression metrics.</param>
public sealed record GroundTruthMetrics(
    string Target, string? Department, GroundTruthTask Task, long Labels,
    BinaryClassificationMetrics? Binary, MulticlassMetrics? Multiclass, RegressionMetrics? Regression)
{
    /// <summary>The most distinct classes a multiclass computation takes.</summary>
    public const int MaxClasses = 4096;

    /// <summary>The metric named as alert rules and /metrics name it (accuracy, precision, recall, f1, auc, log_loss, mae, rmse, r2); NaN when it does not apply.</summary>
    public double Value(string metric) => metric switch
    {
        "accuracy" => Binary?.Accuracy ?? Multiclass?.Accuracy ?? double.NaN,
        "precision" => Binary?.Precision ?? Multiclass?.MacroPrecision ?? double.NaN,
        "recall" => Binary?.Recall ?? Multiclass?.MacroRecall ?? double.NaN,
        "f1" => Binary?.F1 ?? Multiclass?.MacroF1 ?? double.NaN,
        "auc" => Binary?.RocAuc ?? double.NaN,
        "log_loss" => Binary?.LogLoss ?? Multiclass?.LogLoss ?? double.NaN,
        "mae" => Regression?.Mae ?? double.NaN,
        "rmse" => Regression?.Rmse ?? double.NaN,
        "r2" => Regression?.R2 ?? double.NaN,
        _ => double.NaN,
    };

    /// <summary>Every metric that applies, by name.</summary>
    public IReadOnlyDictionary<string, double> Values() =>
        Alerts.AlertMetrics.AccuracyMetrics.Keys.Select(k => (k, Value(k))).Where(p => !double.IsNaN(p.Item2)).ToDictionary(p => p.k, p => p.Item2, StringComparer.Ordinal);

    /// <summary>Metrics per version (and per department when <paramref name="byDepartment"/>) and task, over <paramref name="rows"/>.</summary>
    public static IReadOnlyList<GroundTruthMetrics> Compute(IEnumerable<FeedbackRow> rows, double threshold, bool byDepartment)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var results = new List<GroundTruthMetrics>();
        foreach (var group in rows.GroupBy(r => (r.Target, Department: byDepartment ? r.Department : null, r.Task))
                     .OrderBy(g => g.Key.Target, StringComparer.Ordinal).ThenBy(g => g.Key.Department, StringComparer.Ordinal))
        {
            var (target, department, task) = group.Key;
            var count = group.LongCount();
            switch (task)
            {
                case GroundTruthTask.Binary:
                    var binary = new BinaryClassificationAccumulator(threshold);
                    foreach (var r in group)
                    {
                        binary.Add(r.ActualLabel == "1", r.PredictedValue!.Value);
                    }

                    results.Add(new GroundTruthMetrics(target, department, task, count, binary.Snapshot(), null, null));
                    break;
                case GroundTruthTask.Regression:
                    var regression = new RegressionAccumulator();
                    foreach (var r in group)
                    {
                        regression.Add(r.ActualValue!.Value, r.PredictedValue!.Value);
                    }

                    results.Add(new GroundTruthMetrics(target, department, task, count, null, null, regression.Snapshot()));
                    break;
                default:
                    var classes = group.SelectMany(r => new[] { r.ActualLabel!, r.PredictedLabel! }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(MaxClasses)
                        .Select((label, index) => (label, index)).ToDictionary(p => p.label, p => p.index, StringComparer.Ordinal);
                    var multiclass = new MulticlassAccumulator(Math.Max(2, classes.Count));
                    foreach (var r in group)
                    {
                        if (classes.TryGetValue(r.ActualLabel!, out var actual) && classes.TryGetValue(r.PredictedLabel!, out var predicted))
                        {
                            multiclass.Add(actual, predicted, r.Probability ?? double.NaN);
                        }
                    }

                    results.Add(new GroundTruthMetrics(target, department, task, count, null, multiclass.Snapshot(), null));
                    break;
            }
        }

        return results;
    }
}
