using Escala.Core.Monitoring.Latency;
using Escala.Core.Monitoring.Status;


namespace Escala.Storage.Postgres;

/// <summary>Hourly request counts in <c>request_counts</c>; a flush adds to the hour's row (upsert with addition).</summary>
public sealed class PostgresRequestCountStore(PostgresDatabase database) : IRequestCountStore
{
    /// <inheritdoc/>
    public Task AddAsync(IReadOnlyList<HourlyCounts> deltas, CancellationToken cancellationToken = default) =>
        deltas.Count == 0 ? Task.CompletedTask : database.WriteConcurrentAsync(async write =>
        {
            // The same row order on every node: two nodes flushing the same hours never deadlock.
            foreach (var d in deltas.OrderBy(d => (d.Endpoint, d.Target, d.Department ?? "", d.Hour)))
            {
                await write.ExecuteAsync(
                    "INSERT INTO request_counts (endpoint, target, department, hour, requests, errors, fallbacks, rejected) " +
                    "VALUES (@endpoint, @target, @department, @hour, @requests, @errors, @fallbacks, @rejected) " +
                    "ON CONFLICT (endpoint, target, department, hour) DO UPDATE SET requests = request_counts.requests + excluded.requests, " +
                    "errors = request_counts.errors + excluded.errors, fallbacks = request_counts.fallbacks + excluded.fallbacks, " +
                    "rejected = request_counts.rejected + excluded.rejected;",
                    ("@endpoint", d.Endpoint), ("@target", d.Target), ("@department", d.Department ?? ""), ("@hour", PostgresValues.Timestamp(d.Hour)),
                    ("@requests", d.Counts.Requests), ("@errors", d.Counts.Errors), ("@fallbacks", d.Counts.Fallbacks), ("@rejected", d.Counts.Rejected));
            }
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<HourlyCounts>> ListAsync(string endpoint, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<HourlyCounts>>(async connection => await connection.ListAsync(
            "SELECT endpoint, target, department, hour, requests, errors, fallbacks, rejected FROM request_counts " +
            "WHERE endpoint = @endpoint AND hour >= @since ORDER BY hour, target, department;",
            r => new HourlyCounts(r.GetString(0), r.GetString(1), r.GetString(2).Length == 0 ? null : r.GetString(2), r.ReadTimestamp(3),
                new RequestCounts(r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7))),
            ("@endpoint", endpoint), ("@since", PostgresValues.Timestamp(since))), cancellationToken);

    /// <inheritdoc/>
    public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        database.WriteConcurrentAsync(write => write.ExecuteAsync("DELETE FROM request_counts WHERE hour < @cutoff;", ("@cutoff", PostgresValues.Timestamp(cutoff))), cancellationToken);
}
