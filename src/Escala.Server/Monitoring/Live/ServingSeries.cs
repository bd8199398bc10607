using Escala.Core.Monitoring.Latency;

namespace Escala.Server.Monitoring.Live;

/// <summary>How one request ended, as monitoring counts it.</summary>
public enum ServingOutcome
{
    /// <summary>The routed version answered.</summary>
    Answered,

    /// <summary>A fallback (another version or the default answer) answered.</summary>
    Fallback,

    /// <summary>Nothing answered (5xx).</summary>
    Failed,

    /// <summary>The data-quality policy refused the inputs (4xx, the caller's to fix).</summary>
    QualityRejected,

    /// <summary>The inputs do not fit the model (4xx, the caller's to fix).</summary>
    InvalidInput,
}

/// <summary>
/// The live counters of one endpoint x version x department: requests, errors, fallbacks, rejections (by reason)
/// and the latency histogram. Every update is an <see cref="Interlocked"/> operation: no lock, no allocation.
/// </summary>
public sealed class ServingSeries(string endpoint, string target, string? department)
{
    private long _qualityRejections;
    private long _invalidInputs;

    /// <summary>The endpoint.</summary>
    public string Endpoint { get; } = endpoint;

    /// <summary>The version that served (<c>model:version</c>, an external backend's name, <c>default</c> for the default answer, <c>none</c> when nothing answered).</summary>
    public string Target { get; } = target;

    /// <summary>The department the requests were attributed to, or null.</summary>
    public string? Department { get; } = department;

    /// <summary>Requests, errors, fallbacks and rejections (both reasons).</summary>
    public RequestCounters Counters { get; } = new();

    /// <summary>Latency of every request, whatever its outcome.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Requests refused by the data-quality policy.</summary>
    public long QualityRejections => Interlocked.Read(ref _qualityRejections);

    /// <summary>Requests whose inputs did not fit the model.</summary>
    public long InvalidInputs => Interlocked.Read(ref _invalidInputs);

    /// <summary>Counts one request.</summary>
    public void Record(ServingOutcome outcome, long latencyMicroseconds)
    {
        switch (outcome)
        {
            case ServingOutcome.Answered:
                Counters.RecordSuccess();
                break;
            case ServingOutcome.Fallback:
                Counters.RecordFallback();
                break;
            case ServingOutcome.Failed:
                Counters.RecordError();
                break;
            case ServingOutcome.QualityRejected:
                Counters.RecordRejected();
                Interlocked.Increment(ref _qualityRejections);
                break;
            default:
                Counters.RecordRejected();
                Interlocked.Increment(ref _invalidInputs);
                break;
        }

        Latency.Record(latencyMicroseconds);
    }
}
