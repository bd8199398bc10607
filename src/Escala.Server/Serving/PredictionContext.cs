namespace Escala.Server.Serving;

/// <summary>Who asked what of which endpoint: everything about a request except its inputs and answer.</summary>
/// <param name="RequestId">The id returned to the caller and written to the prediction log.</param>
/// <param name="Snapshot">The endpoint snapshot the request runs on from start to finish.</param>
/// <param name="Department">The department the request is attributed to, if any.</param>
/// <param name="Subject">The subject key (A/B stickiness), if any.</param>
/// <param name="ReceivedAt">When the request arrived.</param>
/// <param name="StartTimestamp">A <see cref="System.Diagnostics.Stopwatch"/> timestamp taken on arrival, for latency.</param>
public sealed record PredictionContext(
    string RequestId,
    ServingSnapshot Snapshot,
    string? Department,
    string? Subject,
    DateTimeOffset ReceivedAt,
    long StartTimestamp)
{
    /// <summary>The end user's pseudonym (a keyed hash of <c>X-Escala-User</c> or the OIP parameter <c>user</c>), never the id itself.</summary>
    public string? UserKey { get; init; }
}
