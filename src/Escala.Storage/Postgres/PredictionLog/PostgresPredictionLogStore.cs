using System.Text;
using Escala.Core.PredictionLog;
using Npgsql;
using NpgsqlTypes;

namespace Escala.Storage.Postgres;

/// <summary>
/// The prediction log in PostgreSQL's <c>prediction_log</c>. A batch is one binary COPY: one round trip and
/// no per-row statement, so many nodes can log at volume without taking the control-plane lock.
/// </summary>
public sealed class PostgresPredictionLogStore(PostgresDatabase database) : IPredictionLogStore
{
    private const string Columns = "request_id, kind, at, endpoint, version, department, subject, source, failure_reason, inputs, outputs, latency_us, comparison";

    /// <inheritdoc/>
    public async Task AppendAsync(IReadOnlyList<PredictionRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var copy = await connection.BeginBinaryImportAsync($"COPY prediction_log ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var r in batch)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(r.RequestId, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(r.Kind == PredictionKind.Shadow ? "shadow" : "served", NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(PostgresValues.Timestamp(r.At), NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(r.Endpoint, NpgsqlDbType.Text, cancellationToken);
            await WriteOrNullAsync(copy, r.Version, cancellationToken);
            await WriteOrNullAsync(copy, r.Department, cancellationToken);
            await WriteOrNullAsync(copy, r.Subject, cancellationToken);
            await copy.WriteAsync(r.Source, NpgsqlDbType.Text, cancellationToken);
            await WriteOrNullAsync(copy, r.FailureReason, cancellationToken);
            await copy.WriteAsync(Encoding.UTF8.GetString(r.Inputs.Span), NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(Encoding.UTF8.GetString(r.Outputs.Span), NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(r.LatencyMicroseconds, NpgsqlDbType.Bigint, cancellationToken);
            await WriteOrNullAsync(copy, r.Comparison, cancellationToken);
        }

        // Nothing is stored unless the whole batch completes: COPY is one statement.
        await copy.CompleteAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        database.WriteConcurrentAsync(write => write.ExecuteAsync(
            "DELETE FROM prediction_log WHERE at < @cutoff;", ("@cutoff", PostgresValues.Timestamp(cutoff))), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<PredictionRecord>> QueryAsync(PredictionLogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = query.RequestId is null
            ? $"SELECT {Columns} FROM prediction_log WHERE endpoint = @endpoint ORDER BY at DESC, id DESC LIMIT @limit;"
            : $"SELECT {Columns} FROM prediction_log WHERE endpoint = @endpoint AND request_id = @id ORDER BY kind, id LIMIT @limit;";
        return database.ReadAsync<IReadOnlyList<PredictionRecord>>(async connection => await connection.ListAsync(
            sql, Read, ("@endpoint", query.Endpoint), ("@id", query.RequestId), ("@limit", Math.Clamp(query.Limit, 1, 10_000))), cancellationToken);
    }

    private static Task WriteOrNullAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static PredictionRecord Read(NpgsqlDataReader r) => new(
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
