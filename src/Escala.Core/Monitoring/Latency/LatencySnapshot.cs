namespace Escala.Core.Monitoring.Latency;

/// <summary>An immutable copy of a <see cref="LatencyHistogram"/>: counts per <see cref="LatencyBuckets"/> bucket and the sum.</summary>
public sealed class LatencySnapshot
{
    private readonly long[] _buckets;

    /// <summary>Wraps bucket counts (of length <see cref="LatencyBuckets.Count"/>) and the sum of the recorded values.</summary>
    public LatencySnapshot(long[] buckets, long sumMicroseconds)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        if (buckets.Length != LatencyBuckets.Count)
        {
            throw new ArgumentException($"Expected {LatencyBuckets.Count} buckets, got {buckets.Length}.", nameof(buckets));
        }

        _buckets = buckets;
        SumMicroseconds = sumMicroseconds;
        foreach (var count in buckets)
        {
            Count += count;
        }
    }

    /// <summary>Values recorded.</summary>
    public long Count { get; }

    /// <summary>Sum of the values, in microseconds (Prometheus <c>_sum</c>).</summary>
    public long SumMicroseconds { get; }

    /// <summary>Mean in microseconds (NaN when empty).</summary>
    public double Mean => Count == 0 ? double.NaN : (double)SumMicroseconds / Count;

    /// <summary>Counts per bucket.</summary>
    public ReadOnlySpan<long> Buckets => _buckets;

    /// <summary>
    /// The <paramref name="q"/>-quantile in microseconds: the middle of the bucket holding the nearest-rank
    /// order statistic x₍⌈q·n⌉₎, so within 1.5625% of it (exact below 64 µs). NaN when empty.
    /// </summary>
    public double Quantile(double q)
    {
        if (!(q >= 0 && q <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile is in [0, 1].");
        }

        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= rank)
            {
                return LatencyBuckets.LowerBound(i) + ((LatencyBuckets.Width(i) - 1) / 2.0);
            }
        }

        return LatencyBuckets.MaxMicroseconds;
    }

    /// <summary>Values at or below <paramref name="microseconds"/>, for rendering fixed Prometheus <c>le</c> buckets (exact when the bound is a bucket's upper end, else counts the whole bucket holding it).</summary>
    public long CountAtOrBelow(long microseconds)
    {
        var last = LatencyBuckets.IndexOf(microseconds);
        long total = 0;
        for (var i = 0; i <= last; i++)
        {
            total += _buckets[i];
        }

        return total;
    }

    /// <summary>The sum of two snapshots (several nodes, versions or periods).</summary>
    public static LatencySnapshot Merge(LatencySnapshot a, LatencySnapshot b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var buckets = new long[LatencyBuckets.Count];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = a._buckets[i] + b._buckets[i];
        }

        return new LatencySnapshot(buckets, a.SumMicroseconds + b.SumMicroseconds);
    }
}
