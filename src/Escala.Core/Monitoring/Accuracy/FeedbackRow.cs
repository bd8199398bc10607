using Escala.Core.Monitoring.Settings;

namespace Escala.Core.Monitoring.Accuracy;

/// <summary>
/// One ground-truth label joined with the prediction it is about: which version answered and for which department,
/// when, what it predicted and what was true. Binary rows keep the positive/negative truth as "1"/"0" and the
/// predicted probability of the positive class; multiclass rows the true and predicted labels (and the probability
/// the model gave the true class, when it said); regression rows the true and predicted values.
/// </summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="RequestId">The prediction's request id.</param>
/// <param name="Row">The row of a multi-row request (0 for one-row requests).</param>
/// <param name="Target">The version that answered.</param>
/// <param name="Department">The department the request was attributed to.</param>
/// <param name="PredictedAt">When the prediction was made (ground-truth windows are by prediction time).</param>
/// <param name="ReceivedAt">When the label arrived.</param>
/// <param name="Task">How the row is scored.</param>
/// <param name="ActualLabel">The true label ("1"/"0" for binary).</param>
/// <param name="ActualValue">The true value (regression).</param>
/// <param name="PredictedLabel">The predicted label, when the model gave one.</param>
/// <param name="PredictedValue">The predicted score (binary: probability of the positive class) or value (regression).</param>
/// <param name="Probability">Multiclass: the probability the model gave the true label, when known.</param>
public sealed record FeedbackRow(
    string Endpoint,
    string RequestId,
    int Row,
    string Target,
    string? Department,
    DateTimeOffset PredictedAt,
    DateTimeOffset ReceivedAt,
    GroundTruthTask Task,
    string? ActualLabel,
    double? ActualValue,
    string? PredictedLabel,
    double? PredictedValue,
    double? Probability);

/// <summary>Where joined ground-truth labels are kept (one per endpoint, request and row: a later label corrects an earlier one).</summary>
public interface IFeedbackStore
{
    /// <summary>Stores labels; returns how many were new and how many replaced an earlier label.</summary>
    Task<(int Inserted, int Updated)> UpsertAsync(IReadOnlyList<FeedbackRow> rows, CancellationToken cancellationToken = default);

    /// <summary>Endpoints with labels of predictions made at or after <paramref name="since"/>.</summary>
    Task<IReadOnlyList<string>> EndpointsAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>The endpoint's labels for predictions made at or after <paramref name="since"/>.</summary>
    Task<IReadOnlyList<FeedbackRow>> ListAsync(string endpoint, DateTimeOffset since, CancellationToken cancellationToken = default);
}
