using Escala.Core.Monitoring.Accuracy;

namespace Escala.Server.Monitoring.GroundTruth;

/// <summary>Finds the logged answer of a request (the gateway's prediction log), so a label can be joined with it.</summary>
public interface IPredictionLookup
{
    /// <summary>The served answer of <paramref name="requestId"/> on <paramref name="endpoint"/>, or null when the log has none (sampled out, past retention, or never made).</summary>
    Task<LoggedAnswer?> FindAsync(string endpoint, string requestId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits (bounded) until every answer given before the call is in the log, so a request not found afterwards is
    /// really not there; false when the wait ran out (the log is behind: a label should be retried, not refused).
    /// </summary>
    Task<bool> CatchUpAsync(CancellationToken cancellationToken = default);
}
