namespace Escala.Core.PredictionLog;

/// <summary>
/// One line of the prediction log: who asked which endpoint what, which version answered, what it
/// said and how long it took. <see cref="RequestId"/> is returned to the caller, so ground truth
/// that arrives days later can be joined on it.
/// </summary>
/// <param name="RequestId">The id returned to the caller (response header and body).</param>
/// <param name="At">When the request arrived.</param>
/// <param name="Endpoint">The endpoint name.</param>
/// <param name="Version">The target that produced <see cref="Outputs"/> (e.g. <c>credit:2</c>), or null for a default answer.</param>
/// <param name="Department">The department the request was routed as, if any.</param>
/// <param name="Subject">The subject key (A/B stickiness), if any.</param>
/// <param name="Kind">Whether this is the answer returned to the caller or a shadow's answer.</param>
/// <param name="Source">Where the returned answer came from (routed, fallback version, default answer).</param>
/// <param name="FailureReason">Why the routed version did not answer, when a fallback did ("timeout", "error", ...).</param>
/// <param name="Inputs">The inputs as UTF-8 JSON.</param>
/// <param name="Outputs">The outputs as UTF-8 JSON.</param>
/// <param name="LatencyMicroseconds">Time from request to answer, in microseconds.</param>
/// <param name="Comparison">For shadow lines: how the shadow's outputs compare with the answer returned (JSON), else null.</param>
public sealed record PredictionRecord(
    string RequestId,
    DateTimeOffset At,
    string Endpoint,
    string? Version,
    string? Department,
    string? Subject,
    PredictionKind Kind,
    string Source,
    string? FailureReason,
    ReadOnlyMemory<byte> Inputs,
    ReadOnlyMemory<byte> Outputs,
    long LatencyMicroseconds,
    string? Comparison = null);

/// <summary>Which answer a log line records.</summary>
public enum PredictionKind
{
    /// <summary>The answer returned to the caller.</summary>
    Served,

    /// <summary>A shadow version's answer: logged and compared, never returned.</summary>
    Shadow,
}
