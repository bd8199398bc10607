using System.Runtime.InteropServices;

namespace Escala.Core.Monitoring.Latency;

/// <summary>Request outcome counts at one instant.</summary>
/// <param name="Requests">Requests answered or failed.</param>
/// <param name="Errors">Requests that failed (no answer, or an error answer).</param>
/// <param name="Fallbacks">Requests answered by a fallback (counted in <paramref name="Requests"/>, not in <paramref name="Errors"/>).</param>
/// <param name="Rejected">Requests refused by the data-quality policy (4xx; not errors of the service).</param>
public readonly record struct RequestCounts(long Requests, long Errors, long Fallbacks, long Rejected)
{
    /// <summary>The difference since an earlier reading (the counts of a period).</summary>
    public RequestCounts Since(RequestCounts earlier) =>
        new(Requests - earlier.Requests, Errors - earlier.Errors, Fallbacks - earlier.Fallbacks, Rejected - earlier.Rejected);
}

/// <summary>
/// Lock-free request, error, fallback and rejection counters for the request path (one per endpoint /
/// version / department). Each counter sits on its own cache line so cores updating different counters do
/// not slow each other. Monotonic, like Prometheus counters.
/// </summary>
public sealed class RequestCounters
{
    private PaddedCounters _counters;

    /// <summary>A request answered by its model.</summary>
    public void RecordSuccess() => Interlocked.Increment(ref _counters.Requests);

    /// <summary>A request that failed.</summary>
    public void RecordError()
    {
        Interlocked.Increment(ref _counters.Requests);
        Interlocked.Increment(ref _counters.Errors);
    }

    /// <summary>A request answered by the fallback chain.</summary>
    public void RecordFallback()
    {
        Interlocked.Increment(ref _counters.Requests);
        Interlocked.Increment(ref _counters.Fallbacks);
    }

    /// <summary>A request refused by the data-quality policy.</summary>
    public void RecordRejected()
    {
        Interlocked.Increment(ref _counters.Requests);
        Interlocked.Increment(ref _counters.Rejected);
    }

    /// <summary>The counts now.</summary>
    public RequestCounts Read() => new(
        Interlocked.Read(ref _counters.Requests),
        Interlocked.Read(ref _counters.Errors),
        Interlocked.Read(ref _counters.Fallbacks),
        Interlocked.Read(ref _counters.Rejected));

    [StructLayout(LayoutKind.Explicit, Size = 320)]
    private struct PaddedCounters
    {
#pragma warning disable SA1401, CA1051 // Interlocked needs fields; explicit offsets keep one counter per 64-byte line.
        [FieldOffset(64)]
        public long Requests;

        [FieldOffset(128)]
        public long Errors;

        [FieldOffset(192)]
        public long Fallbacks;

        [FieldOffset(256)]
        public long Rejected;
#pragma warning restore SA1401, CA1051
    }
}
