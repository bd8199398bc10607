using Escala.Core.Monitoring.Windows;

namespace Escala.Core.Monitoring.Drift;

/// <summary>A closed window of one endpoint and version, with its drift report as computed when it closed.</summary>
/// <param name="Id">Assigned by the store, increasing.</param>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Target">The version that served the rows (<c>model:version</c>).</param>
/// <param name="Report">The drift report.</param>
/// <param name="Window">The window's bounded summaries (merged with its neighbours for longer reports).</param>
public sealed record StoredDriftReport(long Id, string Endpoint, string Target, DriftReport Report, WindowSnapshot Window);

/// <summary>What a report listing shows of each window.</summary>
/// <param name="Id">The report.</param>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Target">The version.</param>
/// <param name="Start">Window start.</param>
/// <param name="End">Window end.</param>
/// <param name="Rows">Rows in it.</param>
/// <param name="DriftedShare">Share of judged features that drifted.</param>
/// <param name="DriftedFeatures">Names of the drifted features.</param>
/// <param name="PredictionDrifted">True when the prediction drifted.</param>
public sealed record DriftReportSummary(
    long Id, string Endpoint, string Target, DateTimeOffset Start, DateTimeOffset End, long Rows, double DriftedShare,
    IReadOnlyList<string> DriftedFeatures, bool PredictionDrifted);

/// <summary>Where closed windows and their drift reports are kept (bounded: the oldest are pruned).</summary>
public interface IDriftReportStore
{
    /// <summary>Stores a closed window and its report; returns its id. Keeps at most <paramref name="keep"/> per endpoint and version.</summary>
    Task<long> AppendAsync(string endpoint, string target, DriftReport report, WindowSnapshot window, int keep, CancellationToken cancellationToken = default);

    /// <summary>A stored report, or null.</summary>
    Task<StoredDriftReport?> FindAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Summaries newest first, of one endpoint (optionally one version), ending after <paramref name="since"/> when given.</summary>
    Task<IReadOnlyList<DriftReportSummary>> ListAsync(string endpoint, string? target, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default);

    /// <summary>The stored windows of one endpoint and version that ended after <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<StoredDriftReport>> WindowsSinceAsync(string endpoint, string target, DateTimeOffset since, int limit, CancellationToken cancellationToken = default);
}
