using Escala.Core.Monitoring.Latency;

namespace Escala.Core.Monitoring.Status;

/// <summary>Requests of one endpoint, version and department in one UTC hour.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Target">The version (or <c>-</c> when none answered).</param>
/// <param name="Department">The department, or null.</param>
/// <param name="Hour">The start of the hour (UTC).</param>
/// <param name="Counts">The counts.</param>
public sealed record HourlyCounts(string Endpoint, string Target, string? Department, DateTimeOffset Hour, RequestCounts Counts);

/// <summary>
/// Durable hourly request counts, so availability over an SLO period (30 days) survives restarts. The server adds
/// what its live counters gained since the last flush; rows of the same hour add up (several flushes, several nodes).
/// </summary>
public interface IRequestCountStore
{
    /// <summary>Adds counts to their hours.</summary>
    Task AddAsync(IReadOnlyList<HourlyCounts> deltas, CancellationToken cancellationToken = default);

    /// <summary>An endpoint's hours starting at or after <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<HourlyCounts>> ListAsync(string endpoint, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Deletes hours before <paramref name="cutoff"/>; returns how many rows went.</summary>
    Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
