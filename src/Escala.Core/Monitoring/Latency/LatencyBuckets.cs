namespace Escala.Core.Monitoring.Latency;

/// <summary>
/// The log-linear bucket layout shared by <see cref="LatencyHistogram"/> and <see cref="LatencySnapshot"/>:
/// whole microseconds, exact below 64 µs, then 32 equal buckets per power of two, up to 2^40 µs (~12.7 days;
/// larger values are clamped into the last bucket). A bucket's width is at most 1/32 of its lower bound, so
/// reporting its middle is within 1/64 (1.5625%) of any value in it.
/// </summary>
public static class LatencyBuckets
{
    /// <summary>Sub-buckets per power of two, as a power of two.</summary>
    public const int SubBucketBits = 5;

    /// <summary>Largest recordable value in microseconds (larger values are clamped).</summary>
    public const long MaxMicroseconds = (1L << 40) - 1;

    /// <summary>Number of buckets.</summary>
    public static readonly int Count = IndexOf(MaxMicroseconds) + 1;

    /// <summary>Bucket of a value in microseconds (negative values count as 0).</summary>
    public static int IndexOf(long microseconds)
    {
        var v = Math.Clamp(microseconds, 0, MaxMicroseconds);
        if (v < 1L << SubBucketBits)
        {
            return (int)v;
        }

        var exponent = 63 - long.LeadingZeroCount(v);
        var shift = (int)exponent - SubBucketBits;
        return (shift << SubBucketBits) + (int)(v >> shift);
    }

    /// <summary>Smallest value of bucket <paramref name="index"/>.</summary>
    public static long LowerBound(int index)
    {
        if (index < 2 << SubBucketBits)
        {
            return index;
        }

        var shift = (index >> SubBucketBits) - 1;
        var mantissa = (index & ((1 << SubBucketBits) - 1)) + (1 << SubBucketBits);
        return (long)mantissa << shift;
    }

    /// <summary>Number of whole-microsecond values in bucket <paramref name="index"/>.</summary>
    public static long Width(int index) => index < 2 << SubBucketBits ? 1 : 1L << ((index >> SubBucketBits) - 1);
}
