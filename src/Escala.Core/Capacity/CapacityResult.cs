using Escala.Core.Audit;

namespace Escala.Core.Capacity;

/// <summary>A measured load test of one version: throughput at rising concurrency, the USL fit and CPU per prediction.</summary>
/// <param name="Endpoint">The endpoint tested.</param>
/// <param name="Target">The version that answered.</param>
/// <param name="Points">Concurrency and throughput measured.</param>
/// <param name="Model">The USL fit, or null when fewer than three levels were measured.</param>
/// <param name="CpuMillisecondsPerPrediction">Server CPU time per prediction during the test.</param>
/// <param name="Failures">Requests that failed during the test.</param>
/// <param name="MeasuredAt">When it ran.</param>
/// <param name="Seconds">How long each level ran.</param>
public sealed record CapacityResult(
    string Endpoint, string Target, IReadOnlyList<LoadPoint> Points, UslModel? Model, double CpuMillisecondsPerPrediction,
    long Failures, DateTimeOffset MeasuredAt, double Seconds)
{
    /// <summary>The fitted peak, else the best throughput measured.</summary>
    public double PeakThroughput => Model is { } m && double.IsFinite(m.PeakThroughput) ? m.PeakThroughput : Points.Count == 0 ? 0 : Points.Max(p => p.Throughput);
}

/// <summary>Where capacity tests live (with the version they measured).</summary>
public interface ICapacityStore
{
    /// <summary>Stores a test result with its audit entry.</summary>
    Task AddAsync(CapacityResult result, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The latest test of a version, or null.</summary>
    Task<CapacityResult?> LatestAsync(string target, CancellationToken cancellationToken = default);
}
