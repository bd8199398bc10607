using System.Text;
using Escala.Core.PredictionLog;
using Escala.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Escala.Storage.PredictionLog;

/// <summary>The prediction log in the <c>prediction_log</c> table; a batch is one transaction with one prepared insert.</summary>
public sealed class SqlitePredictionLogStore(SqliteDatabase database) : IPredictionLogStore
{
    private const string Columns = "request_id, kind, at, endpoint, version, department, subject, source, failure_reason, inputs, outputs, latency_us, comparison";

    /// <inheritdoc/>
    public Task AppendAsync(IReadOnlyList<PredictionRecord> batch, CancellationToken cancellationToken) =>
        database.WriteAsync(async write =>
        {
            await using var insert = write.Command(
                $"INSERT INTO prediction_log ({Columns}) VALUES ($id, $kind, $at, $endpoint, $version, $department, $subject, $source, $failure, $inputs, $outputs, $latency, $comparison);");
            var p = new[]
            {
                insert.Parameters.Add("$id", SqliteType.Text), insert.Parameters.Add("$kind", SqliteType.Text),
                insert.Parameters.Add("$at", SqliteType.Text), insert.Parameters.Add("$endpoint", SqliteType.Text),
                insert.Parameters.Add("$version", SqliteType.Text), insert.Parameters.Add("$department", SqliteType.Text),
                insert.Parameters.Add("$subject", SqliteType.Text), insert.Parameters.Add("$source", SqliteType.Text),
                insert.Parameters.Add("$failure", SqliteType.Text), insert.Parameters.Add("$inputs", SqliteType.Text),
                insert.Parameters.Add("$outputs", SqliteType.Text), insert.Parameters.Add("$latency", SqliteType.Integer),
                insert.Parameters.Add("$comparison", SqliteType.Text),
            };
            insert.Prepare();
            foreach (var r in batch)
            {
                p[0].Value = r.RequestId;
                p[1].Value = r.Kind == PredictionKind.Shadow ? "shadow" : "served";
                p[2].Value = SqliteValues.Timestamp(r.At);
                p[3].Value = r.Endpoint;
                p[4].Value = SqliteValues.OrNull(r.Version);
                p[5].Value = SqliteValues.OrNull(r.Department);
                p[6].Value = SqliteValues.OrNull(r.Subject);
                p[7].Value = r.Source;
                p[8].Value = SqliteValues.OrNull(r.FailureReason);
                p[9].Value = Encoding.UTF8.GetString(r.Inputs.Span);
                p[10].Value = Encoding.UTF8.GetString(r.Outputs.Span);
                p[11].Value = r.LatencyMicroseconds;
                p[12].Value = SqliteValues.OrNull(r.Comparison);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }, cancellationToken);

    /// <inheritdoc/>
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        // Endpoint by endpoint, so each delete walks the (endpoint, at) index instead of the whole table,
        // and each transaction stays short (log batches wait for the same write lock).
        var endpoints = await database.ReadAsync<List<string>>(
            connection => connection.ListAsync("SELECT DISTINCT endpoint FROM prediction_log;", r => r.GetString(0)), cancellationToken);
        var deleted = 0;
        foreach (var endpoint in endpoints)
        {
            deleted += await database.WriteAsync(write => write.ExecuteAsync(
                "DELETE FROM prediction_log WHERE endpoint = $endpoint AND at < $cutoff;",
                ("$endpoint", endpoint), ("$cutoff", SqliteValues.Timestamp(cutoff))), cancellationToken);
        }

        return deleted;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<PredictionRecord>> QueryAsync(PredictionLogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var scope = query.Departments is null ? "" : " AND department IN (SELECT value FROM json_each($departments))";
        var sql = query.RequestId is null
            ? $"SELECT {Columns} FROM prediction_log WHERE endpoint = $endpoint{scope} ORDER BY at DESC, rowid DESC LIMIT $limit;"
            : $"SELECT {Columns} FROM prediction_log WHERE endpoint = $endpoint AND request_id = $id{scope} ORDER BY kind, rowid LIMIT $limit;";
        var departments = query.Departments is null ? null : System.Text.Json.JsonSerializer.Serialize(query.Departments);
        return database.ReadAsync<IReadOnlyList<PredictionRecord>>(async connection => await connection.ListAsync(
            sql, Read, ("$endpoint", query.Endpoint), ("$id", query.RequestId), ("$limit", Math.Clamp(query.Limit, 1, 10_000)), ("$departments", departments)), cancellationToken);
    }

    private static PredictionRecord Read(SqliteDataReader r) => new(
        r.GetString(0),
        r.ReadTimestamp(2),
        r.GetString(3),
        r.ReadStringOrNull(4),
        r.ReadStringOrNull(5),
        r.ReadStringOrNull(6),
        r.GetString(1) == "shadow" ? PredictionKind.Shadow : PredictionKind.Served,
        r.GetString(7),
        r.ReadStringOrNull(8),
        Encoding.UTF8.GetBytes(r.GetString(9)),
        Encoding.UTF8.GetBytes(r.GetString(10)),
        r.GetInt64(11),
        r.ReadStringOrNull(12));
}
