namespace Escala.Core.Monitoring.Latency;

/// <summary>
/// A lock-free latency histogram for the request path: <see cref="Record(long)"/> is two
/// <see cref="Interlocked"/> additions, no lock, no allocation. Fixed memory (~9 KB, see
/// <see cref="LatencyBuckets"/>). <see cref="Snapshot"/> copies it for quantiles (p50/p95/p99 within
/// 1.5625% relative error of the nearest-rank quantile) and merging across endpoints or nodes.
/// </summary>
public sealed class LatencyHistogram
{
    private readonly long[] _buckets = new long[LatencyBuckets.Count];
    private long _sum;

    /// <summary>Records a latency in microseconds.</summary>
    public void Record(long microseconds)
    {
        Interlocked.Increment(ref _buckets[LatencyBuckets.IndexOf(microseconds)]);
        Interlocked.Add(ref _sum, Math.Clamp(microseconds, 0, LatencyBuckets.MaxMicroseconds));
    }

    /// <summary>Records a latency, truncated to whole microseconds.</summary>
    public void Record(TimeSpan elapsed) => Record(elapsed.Ticks / TimeSpan.TicksPerMicrosecond);

    /// <summary>A copy of the counts. Concurrent records may or may not be in it; each is either fully in or out of its bucket.</summary>
    public LatencySnapshot Snapshot()
    {
        var copy = new long[_buckets.Length];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = Volatile.Read(ref _buckets[i]);
        }

        return new LatencySnapshot(copy, Interlocked.Read(ref _sum));
    }
}
