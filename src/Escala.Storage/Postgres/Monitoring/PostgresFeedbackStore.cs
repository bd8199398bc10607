using Escala.Core.Monitoring.Accuracy;
using Escala.Core.Monitoring.Settings;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>Ground-truth labels joined with their predictions in <c>feedback</c>; a second label for the same request and row replaces the first.</summary>
public sealed class PostgresFeedbackStore(PostgresDatabase database) : IFeedbackStore
{
    private const string Columns =
        "endpoint, request_id, row_index, target, department, predicted_at, received_at, task, actual_label, actual_value, predicted_label, predicted_value, probability";

    /// <inheritdoc/>
    public Task<(int Inserted, int Updated)> UpsertAsync(IReadOnlyList<FeedbackRow> rows, CancellationToken cancellationToken = default) =>
        rows.Count == 0 ? Task.FromResult((0, 0)) : database.WriteConcurrentAsync(async write =>
        {
            int inserted = 0, updated = 0;
            foreach (var r in rows)
            {
                // xmax is 0 on a freshly inserted row and set on one the upsert updated: one statement tells which.
                var fresh = await write.ScalarAsync<bool>(
                    $"INSERT INTO feedback ({Columns}) VALUES (@endpoint, @request, @row, @target, @department, @predicted, @received, @task, @actualLabel, @actualValue, " +
                    "@predictedLabel, @predictedValue, @probability) ON CONFLICT (endpoint, request_id, row_index) DO UPDATE SET target = excluded.target, " +
                    "department = excluded.department, predicted_at = excluded.predicted_at, received_at = excluded.received_at, task = excluded.task, " +
                    "actual_label = excluded.actual_label, actual_value = excluded.actual_value, predicted_label = excluded.predicted_label, " +
                    "predicted_value = excluded.predicted_value, probability = excluded.probability RETURNING (xmax = 0);",
                    ("@endpoint", r.Endpoint), ("@request", r.RequestId), ("@row", r.Row), ("@target", r.Target), ("@department", r.Department),
                    ("@predicted", PostgresValues.Timestamp(r.PredictedAt)), ("@received", PostgresValues.Timestamp(r.ReceivedAt)), ("@task", r.Task.ToString().ToLowerInvariant()),
                    ("@actualLabel", r.ActualLabel), ("@actualValue", r.ActualValue), ("@predictedLabel", r.PredictedLabel), ("@predictedValue", r.PredictedValue),
                    ("@probability", r.Probability));
                if (fresh)
                {
                    inserted++;
                }
                else
                {
                    updated++;
                }
            }

            return (inserted, updated);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> EndpointsAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<string>>(async connection => await connection.ListAsync(
            "SELECT DISTINCT endpoint FROM feedback WHERE predicted_at >= @since ORDER BY endpoint;", r => r.GetString(0), ("@since", PostgresValues.Timestamp(since))),
            cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<FeedbackRow>> ListAsync(string endpoint, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<FeedbackRow>>(async connection => await connection.ListAsync(
            $"SELECT {Columns} FROM feedback WHERE endpoint = @endpoint AND predicted_at >= @since ORDER BY predicted_at;",
            Read, ("@endpoint", endpoint), ("@since", PostgresValues.Timestamp(since))), cancellationToken);

    private static FeedbackRow Read(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetInt32(2),
        r.GetString(3),
        r.ReadStringOrNull(4),
        r.ReadTimestamp(5),
        r.ReadTimestamp(6),
        Enum.Parse<GroundTruthTask>(r.GetString(7), ignoreCase: true),
        r.ReadStringOrNull(8),
        r.IsDBNull(9) ? null : r.GetDouble(9),
        r.ReadStringOrNull(10),
        r.IsDBNull(11) ? null : r.GetDouble(11),
        r.IsDBNull(12) ? null : r.GetDouble(12));
}
