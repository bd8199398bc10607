using System.Text.Json;
using Escala.Core.Audit;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Windows;
using Escala.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Escala.Storage.Monitoring;

/// <summary>Closed drift windows and their reports in <c>drift_windows</c>, pruned to the newest N per endpoint and version.</summary>
public sealed class SqliteDriftReportStore(SqliteDatabase database) : IDriftReportStore
{
    private const string SummaryColumns = "id, endpoint, target, window_start, window_end, row_count, drifted_share, drifted_features, prediction_drifted";

    /// <inheritdoc/>
    public Task<long> AppendAsync(string endpoint, string target, DriftReport report, WindowSnapshot window, int keep, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            ArgumentNullException.ThrowIfNull(report);
            ArgumentNullException.ThrowIfNull(window);
            var id = await write.ScalarAsync<long>("SELECT coalesce(max(id), 0) + 1 FROM drift_windows;");
            await write.ExecuteAsync(
                "INSERT INTO drift_windows (id, endpoint, target, window_start, window_end, row_count, drifted_share, drifted_features, prediction_drifted, report, window) " +
                "VALUES ($id, $endpoint, $target, $start, $end, $rows, $share, $features, $prediction, $report, $window);",
                ("$id", id), ("$endpoint", endpoint), ("$target", target), ("$start", SqliteValues.Timestamp(report.Start)),
                ("$end", SqliteValues.Timestamp(report.End)), ("$rows", report.Rows), ("$share", report.DriftedShare),
                ("$features", JsonSerializer.Serialize(report.DriftedFeatures, AuditJson.Options)),
                ("$prediction", report.Prediction?.Verdict == DriftVerdict.Drifted ? 1 : 0),
                ("$report", report.ToJson()), ("$window", WindowJson.ToJson(window)));
            await write.ExecuteAsync(
                "DELETE FROM drift_windows WHERE endpoint = $endpoint AND target = $target AND id <= " +
                "(SELECT id FROM drift_windows WHERE endpoint = $endpoint AND target = $target ORDER BY id DESC LIMIT 1 OFFSET $keep);",
                ("$endpoint", endpoint), ("$target", target), ("$keep", keep));
            return id;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<StoredDriftReport?> FindAsync(long id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.FirstOrDefaultAsync(
            "SELECT id, endpoint, target, report, window FROM drift_windows WHERE id = $id;", ReadFull, ("$id", id)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<DriftReportSummary>> ListAsync(string endpoint, string? target, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<DriftReportSummary>>(async connection => await connection.ListAsync(
            $"SELECT {SummaryColumns} FROM drift_windows WHERE endpoint = $endpoint AND ($target IS NULL OR target = $target) " +
            "AND ($since IS NULL OR window_end > $since) ORDER BY id DESC LIMIT $limit;",
            r => new DriftReportSummary(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.ReadTimestamp(3), r.ReadTimestamp(4), r.GetInt64(5), r.GetDouble(6),
                JsonSerializer.Deserialize<string[]>(r.GetString(7), AuditJson.Options) ?? [], r.GetInt64(8) == 1),
            ("$endpoint", endpoint), ("$target", target), ("$since", SqliteValues.Timestamp(since)), ("$limit", limit)), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredDriftReport>> WindowsSinceAsync(string endpoint, string target, DateTimeOffset since, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<StoredDriftReport>>(async connection => await connection.ListAsync(
            "SELECT id, endpoint, target, report, window FROM (SELECT * FROM drift_windows WHERE endpoint = $endpoint AND target = $target AND window_end > $since " +
            "ORDER BY id DESC LIMIT $limit) ORDER BY id;",
            ReadFull, ("$endpoint", endpoint), ("$target", target), ("$since", SqliteValues.Timestamp(since)), ("$limit", limit)), cancellationToken);

    private static StoredDriftReport ReadFull(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), DriftReport.FromJson(r.GetString(3)), WindowJson.FromJson(r.GetString(4)));
}
