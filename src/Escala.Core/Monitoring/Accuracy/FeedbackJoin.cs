using System.Globalization;
using System.Text.Json;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Settings;

namespace Escala.Core.Monitoring.Accuracy;

/// <summary>A label as a client sends it: the request id, the row (for multi-row requests) and the truth (a boolean, number or string).</summary>
/// <param name="RequestId">The id the prediction API returned.</param>
/// <param name="Label">The true label or value.</param>
/// <param name="Row">Which row of the request (default 0).</param>
public sealed record FeedbackItem(string RequestId, JsonElement Label, int? Row = null);

/// <summary>The logged answer a label is joined with.</summary>
/// <param name="Target">The version that answered (null: the default answer).</param>
/// <param name="Department">The request's department.</param>
/// <param name="At">When the request arrived.</param>
/// <param name="Outputs">The logged outputs: a JSON array with one object per row (output name to value).</param>
public sealed record LoggedAnswer(string? Target, string? Department, DateTimeOffset At, JsonElement Outputs);

/// <summary>What a version's answer holds for scoring labels: the prediction column, a label output and a probability map output.</summary>
/// <param name="Prediction">The prediction column monitoring profiles (a score, value or label).</param>
/// <param name="LabelOutput">An output with one integer or string label per row, if any.</param>
/// <param name="ProbabilityMap">An output with a map of class to probability per row (ZipMap), if any.</param>
public sealed record AnswerShape(PredictionColumn? Prediction, string? LabelOutput, string? ProbabilityMap);

/// <summary>
/// Joins one label with its logged prediction and decides how to score it (the endpoint's <see cref="GroundTruthSetting"/>,
/// or per label when it is <c>auto</c>: a boolean, or 0/1 for a probability, is binary; another number is regression;
/// text is multiclass unless it is the positive label of a probability). Every refusal says why, so a client can fix it.
/// </summary>
public static class FeedbackJoin
{
    /// <summary>The row to store, or null with the reason the label is refused.</summary>
    public static FeedbackRow? Interpret(
        string endpoint, FeedbackItem item, LoggedAnswer answer, AnswerShape shape, GroundTruthSetting setting, DateTimeOffset now, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(setting);
        FeedbackRow? Refuse(string why, out string? reason)
        {
            reason = why;
            return null;
        }

        if (answer.Outputs.ValueKind == JsonValueKind.Object && answer.Outputs.TryGetProperty("failure", out var failure))
        {
            return Refuse($"the request failed ({Text(failure)}); there is no prediction to score", out refusal);
        }

        if (answer.Target is null)
        {
            return Refuse("the request was answered by the endpoint's default answer, not by a model version", out refusal);
        }

        var rows = answer.Outputs.ValueKind == JsonValueKind.Array ? answer.Outputs.GetArrayLength() : 0;
        var rowIndex = item.Row ?? 0;
        if (item.Row is null && rows > 1)
        {
            return Refuse(string.Create(CultureInfo.InvariantCulture, $"the request has {rows} rows; say which one the label is for with 'row'"), out refusal);
        }

        if (rowIndex < 0 || rowIndex >= rows || answer.Outputs[rowIndex].ValueKind != JsonValueKind.Object)
        {
            return Refuse(string.Create(CultureInfo.InvariantCulture, $"row {rowIndex} is not in the logged answer ({rows} rows)"), out refusal);
        }

        var row = answer.Outputs[rowIndex];
        var score = NumberOf(row, shape.Prediction);
        var predictedLabel = shape.LabelOutput is { } labelOutput && row.TryGetProperty(labelOutput, out var l) ? Text(Scalar(l)) : null;
        if (predictedLabel is null && shape.Prediction is { Kind: FeatureKind.Categorical } categorical && row.TryGetProperty(categorical.Output, out var c))
        {
            predictedLabel = Text(Scalar(c));
        }

        var label = item.Label;
        var task = setting.Task;
        if (task == GroundTruthTask.Auto)
        {
            var probability = score is >= 0 and <= 1 || (shape.ProbabilityMap is not null && row.TryGetProperty(shape.ProbabilityMap, out _));
            task = label.ValueKind switch
            {
                JsonValueKind.True or JsonValueKind.False => GroundTruthTask.Binary,
                JsonValueKind.Number when probability && label.TryGetDouble(out var d) && d is 0 or 1 => GroundTruthTask.Binary,
                JsonValueKind.Number => GroundTruthTask.Regression,
                JsonValueKind.String when probability && label.GetString() is { } s && IsBinaryText(s, setting.PositiveLabel) => GroundTruthTask.Binary,
                _ => GroundTruthTask.Multiclass,
            };
        }

        var common = new FeedbackRow(endpoint, item.RequestId, rowIndex, answer.Target, answer.Department, answer.At, now, task, null, null, predictedLabel, null, null);
        switch (task)
        {
            case GroundTruthTask.Binary:
                bool actual;
                switch (label.ValueKind)
                {
                    case JsonValueKind.True or JsonValueKind.False:
                        actual = label.GetBoolean();
                        break;
                    case JsonValueKind.Number when label.TryGetDouble(out var d) && d is 0 or 1:
                        actual = d == 1;
                        break;
                    case JsonValueKind.String when label.GetString() is { } s && IsBinaryText(s, setting.PositiveLabel):
                        actual = s == setting.PositiveLabel || s is "true" or "1";
                        break;
                    default:
                        return Refuse($"the label {Show(label)} is not binary: send true/false, 1/0 or '{setting.PositiveLabel}'", out refusal);
                }

                var positive = score;
                if (shape.ProbabilityMap is { } map && row.TryGetProperty(map, out var probabilities) && probabilities.ValueKind == JsonValueKind.Object
                    && probabilities.TryGetProperty(setting.PositiveLabel, out var p) && p.TryGetDouble(out var mapped))
                {
                    positive = mapped;
                }

                if (positive is null && predictedLabel is not null)
                {
                    positive = predictedLabel == setting.PositiveLabel ? 1 : 0;
                }

                if (positive is not { } probabilityOfPositive || !(probabilityOfPositive is >= 0 and <= 1))
                {
                    return Refuse($"the logged prediction ({Show(positive)}) is not a probability of the positive class; set groundTruth.task to regression or multiclass", out refusal);
                }

                refusal = null;
                return common with { ActualLabel = actual ? "1" : "0", PredictedValue = probabilityOfPositive };
            case GroundTruthTask.Regression:
                if (label.ValueKind != JsonValueKind.Number || !label.TryGetDouble(out var value) || !double.IsFinite(value))
                {
                    return Refuse($"the label {Show(label)} is not a number, which a regression needs", out refusal);
                }

                if (score is not { } predicted || !double.IsFinite(predicted))
                {
                    return Refuse("the logged answer has no numeric prediction to compare with", out refusal);
                }

                refusal = null;
                return common with { ActualValue = value, PredictedValue = predicted };
            default:
                var truth = label.ValueKind switch
                {
                    JsonValueKind.String => label.GetString(),
                    JsonValueKind.Number => Text(label),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => null,
                };
                if (string.IsNullOrEmpty(truth) || truth.Length > 200)
                {
                    return Refuse($"the label {Show(label)} is not a class label (a string or number of at most 200 characters)", out refusal);
                }

                if (predictedLabel is null)
                {
                    return Refuse("the logged answer has no predicted label; set groundTruth.task to binary or regression for a score", out refusal);
                }

                double? ofTruth = shape.ProbabilityMap is { } m && row.TryGetProperty(m, out var classes) && classes.ValueKind == JsonValueKind.Object
                    && classes.TryGetProperty(truth, out var q) && q.TryGetDouble(out var pq) ? pq : null;
                refusal = null;
                return common with { ActualLabel = truth, Probability = ofTruth };
        }
    }

    /// <summary>The label output and probability map of a signature, beside its prediction column.</summary>
    public static AnswerShape ShapeOf(Registry.ModelSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var label = signature.Outputs.FirstOrDefault(o => (FeatureLayout.IsInteger(o.ElementType) || o.ElementType == "string") && FeatureLayout.RowWidth(o) == 1)?.Name;
        var map = signature.Outputs.FirstOrDefault(o => o.ElementType.StartsWith("seq(map(", StringComparison.Ordinal))?.Name;
        return new AnswerShape(PredictionColumn.Of(signature), label, map);
    }

    private static double? NumberOf(JsonElement row, PredictionColumn? column)
    {
        if (column is not { Kind: FeatureKind.Numeric } || !row.TryGetProperty(column.Output, out var value))
        {
            return null;
        }

        var cell = value.ValueKind == JsonValueKind.Array
            ? (column.Column < value.GetArrayLength() ? value[column.Column] : default)
            : value;
        return cell.ValueKind == JsonValueKind.Number && cell.TryGetDouble(out var number) ? number : null;
    }

    private static JsonElement Scalar(JsonElement value) => value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 ? value[0] : value;

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetInt64(out var whole) ? whole.ToString(CultureInfo.InvariantCulture) : value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static bool IsBinaryText(string text, string positive) => text == positive || text is "true" or "false" or "0" or "1";

    private static string Show(JsonElement value)
    {
        var raw = value.ValueKind == JsonValueKind.Undefined ? "(none)" : value.GetRawText();
        return raw.Length > 60 ? raw[..60] + "..." : raw;
    }

    private static string Show(double? value) => value is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : "none";
}
