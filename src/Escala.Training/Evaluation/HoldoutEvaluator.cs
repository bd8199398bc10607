using System.Diagnostics;
using System.Globalization;
using Escala.Core.Monitoring.Accuracy;
using Escala.Core.Monitoring.Settings;
using Escala.Core.Pipelines.Gates;
using Escala.Onnx;
using Escala.Training.Datasets;
using Escala.Training.Trainers;

namespace Escala.Training.Evaluation;

/// <summary>What to score: the label column, the task and (binary) the positive class, and the columns to slice by.</summary>
public sealed record EvaluationSpec(string Label, TrainingTask Task, string? Positive, IReadOnlyList<string> Slices, double Threshold = 0.5);

/// <summary>
/// Scores a model on a holdout table in Escala's engine and computes its metrics with the code ground-truth monitoring
/// uses (<see cref="GroundTruthMetrics"/> over <see cref="FeedbackRow"/>s), overall and per slice value, so a gate
/// compares exactly what production monitoring will report.
/// </summary>
public static class HoldoutEvaluator
{
    /// <summary>The metrics of <paramref name="model"/> on <paramref name="table"/>.</summary>
    public static EvaluationMetrics Evaluate(byte[] model, CsvTable table, EvaluationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(spec);
        var labelIndex = table.IndexOf(spec.Label);
        if (labelIndex < 0)
        {
            throw new TrainingException($"the holdout has no label column '{spec.Label}'; its columns are {string.Join(", ", table.Header)}");
        }

        var sliceIndexes = spec.Slices.Select(s => (Name: s, Index: table.IndexOf(s))).ToArray();
        if (sliceIndexes.FirstOrDefault(s => s.Index < 0) is { Name: not null } missing)
        {
            throw new TrainingException($"the holdout has no column '{missing.Name}' to slice by");
        }

        var feedback = Score(model, table, spec, labelIndex);
        var overall = Metrics(feedback, spec.Threshold);
        var slices = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>>(StringComparer.Ordinal);
        foreach (var (name, index) in sliceIndexes)
        {
            slices[name] = feedback.Select((row, i) => (row, value: table.Rows[i][index]))
                .GroupBy(p => p.value, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Metrics(g.Select(p => p.row).ToList(), spec.Threshold), StringComparer.Ordinal);
        }

        return new EvaluationMetrics(overall, slices);
    }

    /// <summary>The engine's latency per row over single-row runs of up to <paramref name="sample"/> rows: p50 and p99 in milliseconds.</summary>
    public static (double P50, double P99) Latency(byte[] model, CsvTable table, string? label, int sample = 200)
    {
        ArgumentNullException.ThrowIfNull(table);
        var scorer = new ModelScorer(InferenceSession.Load(model));
        var rows = table.Rows.Take(sample).ToArray();
        scorer.Session.Run(scorer.Inputs(table, rows.Take(1).ToArray(), label)); // warm up
        var times = new double[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var inputs = scorer.Inputs(table, [rows[i]], label);
            var started = Stopwatch.GetTimestamp();
            scorer.Session.Run(inputs);
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(times);
        return (Quantile(times, 0.5), Quantile(times, 0.99));
    }

    private static List<FeedbackRow> Score(byte[] model, CsvTable table, EvaluationSpec spec, int labelIndex)
    {
        var scorer = new ModelScorer(InferenceSession.Load(model));
        var rows = table.Rows;
        var outputs = scorer.Session.Run(scorer.Inputs(table, rows, spec.Label));
        var at = DateTimeOffset.UnixEpoch;
        FeedbackRow Row(int i, GroundTruthTask task, string? actualLabel, double? actualValue, string? predictedLabel, double? predictedValue) =>
            new("holdout", i.ToString(CultureInfo.InvariantCulture), 0, "candidate", null, at, at, task, actualLabel, actualValue, predictedLabel, predictedValue, null);
        switch (spec.Task)
        {
            case TrainingTask.Binary:
                var positive = spec.Positive ?? throw new TrainingException("a binary evaluation needs the positive class");
                var probabilities = scorer.PositiveProbabilities(outputs, positive, rows.Count);
                return [.. Enumerable.Range(0, rows.Count).Select(i => Row(
                    i, GroundTruthTask.Binary, rows[i][labelIndex] == positive ? "1" : "0", null, null, Math.Clamp(probabilities[i], 0, 1)))];
            case TrainingTask.Regression:
                var values = ModelScorer.Values(outputs, rows.Count);
                return [.. Enumerable.Range(0, rows.Count).Select(i => Row(
                    i, GroundTruthTask.Regression, null, double.Parse(rows[i][labelIndex], CultureInfo.InvariantCulture), null, values[i]))];
            default:
                var labels = ModelScorer.Labels(outputs, rows.Count);
                return [.. Enumerable.Range(0, rows.Count).Select(i => Row(i, GroundTruthTask.Multiclass, rows[i][labelIndex], null, labels[i], null))];
        }
    }

    private static IReadOnlyDictionary<string, double> Metrics(List<FeedbackRow> rows, double threshold) =>
        GroundTruthMetrics.Compute(rows, threshold, byDepartment: false) is [var metrics] ? metrics.Values() : new Dictionary<string, double>();

    private static double Quantile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
