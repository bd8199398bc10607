using System.Text.Json;
using Escala.Core.Audit;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Windows;
using Npgsql;

namespace Escala.Storage.Postgres;

/// <summary>Closed drift windows and their reports in PostgreSQL's <c>drift_windows</c>, pruned to the newest N per endpoint and version.</summary>
public sealed class PostgresDriftReportStore(PostgresDatabase database) : IDriftReportStore
{
    private const string SummaryColumns = "id, endpoint, target, window_start, window_end, row_count, drifted_share, drifted_features, prediction_drifted";

    /// <inheritdoc/>
    public Task<long> AppendAsync(string endpoint, string target, DriftReport report, WindowSnapshot window, int keep, CancellationToken cancellationToken = default) =>
        database.WriteConcurrentAsync(async write =>
        {
            ArgumentNullException.ThrowIfNull(report);
            ArgumentNullException.ThrowIfNull(window);
            var id = await write.ScalarAsync<long>(
                "INSERT INTO drift_windows (endpoint, target, window_start, window_end, row_count, drifted_share, drifted_features, prediction_drifted, report, \"window\") " +
                "VALUES (@endpoint, @target, @start, @end, @rows, @share, @features, @prediction, @report, @window) RETURNING id;",
                ("@endpoint", endpoint), ("@target", target), ("@start", PostgresValues.Timestamp(report.Start)),
                ("@end", PostgresValues.Timestamp(report.End)), ("@rows", report.Rows), ("@share", report.DriftedShare),
                ("@features", JsonSerializer.Serialize(report.DriftedFeatures, AuditJson.Options)),
                ("@prediction", report.Prediction?.Verdict == DriftVerdict.Drifted),
                ("@report", report.ToJson()), ("@window", WindowJson.ToJson(window)));
            await write.ExecuteAsync(
                "DELETE FROM drift_windows WHERE endpoint = @endpoint AND target = @target AND id <= " +
                "(SELECT id FROM drift_windows WHERE endpoint = @endpoint AND target = @target ORDER BY id DESC LIMIT 1 OFFSET @keep);",
                ("@endpoint", endpoint), ("@target", target), ("@keep", keep));
            return id;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<StoredDriftReport?> FindAsync(long id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            "SELECT id, endpoint, target, report, \"window\" FROM drift_windows WHERE id = @id;", ReadFull, ("@id", id)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<DriftReportSummary>> ListAsync(string endpoint, string? target, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<DriftReportSummary>>(async connection => await connection.ListAsync(
            $"SELECT {SummaryColumns} FROM drift_windows WHERE endpoint = @endpoint AND (@target::text IS NULL OR target = @target::text) " +
            "AND (@since::text IS NULL OR window_end > @since::text) ORDER BY id DESC LIMIT @limit;",
            r => new DriftReportSummary(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.ReadTimestamp(3), r.ReadTimestamp(4), r.GetInt64(5), r.GetDouble(6),
                JsonSerializer.Deserialize<string[]>(r.GetString(7), AuditJson.Options) ?? [], r.GetBoolean(8)),
            ("@endpoint", endpoint), ("@target", target), ("@since", PostgresValues.Timestamp(since)), ("@limit", limit)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredDriftReport>> WindowsSinceAsync(string endpoint, string target, DateTimeOffset since, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<StoredDriftReport>>(async connection => await connection.ListAsync(
            "SELECT id, endpoint, target, report, \"window\" FROM (SELECT * FROM drift_windows WHERE endpoint = @endpoint AND target = @target AND window_end > @since " +
            "ORDER BY id DESC LIMIT @limit) AS newest ORDER BY id;",
            ReadFull, ("@endpoint", endpoint), ("@target", target), ("@since", PostgresValues.Timestamp(since)), ("@limit", limit)), cancellationToken);

    private static StoredDriftReport ReadFull(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), DriftReport.FromJson(r.GetString(3)), WindowJson.FromJson(r.GetString(4)));
}
