namespace Escala.Gateway.LoadTest;

/// <summary>
/// An HDR-style latency histogram: values below 256 ns are exact; above, each power of two of
/// nanoseconds is split into 128 linear sub-buckets, so every value is kept to within 1/128
/// (0.8%) from 1 ns to an hour in a fixed 11,008 counters. One per worker (no sharing while recording), merged at the end.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 8;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int Exponents = 42; // 2^42 ns is about 73 minutes

    private readonly long[] _counts = new long[(Exponents + 1) * SubBuckets];

    /// <summary>Number of recorded values.</summary>
    public long Count { get; private set; }

    /// <summary>The largest recorded value in nanoseconds.</summary>
    public long Max { get; private set; }

    /// <summary>The smallest recorded value in nanoseconds.</summary>
    public long Min { get; private set; } = long.MaxValue;

    /// <summary>Records one latency in nanoseconds.</summary>
    public void Record(long nanoseconds)
    {
        nanoseconds = Math.Max(1, nanoseconds);
        _counts[IndexOf(nanoseconds)]++;
        Count++;
        Max = Math.Max(Max, nanoseconds);
        Min = Math.Min(Min, nanoseconds);
    }

    /// <summary>Adds another histogram's counts to this one.</summary>
    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Max = Math.Max(Max, other.Max);
        Min = Math.Min(Min, other.Min);
    }

    /// <summary>The value at <paramref name="percentile"/> (0 to 100), in nanoseconds: the upper edge of its bucket, capped at the max.</summary>
    public long Percentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(percentile / 100 * Count);
        rank = Math.Clamp(rank, 1, Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(UpperEdge(i), Max);
            }
        }

        return Max;
    }

    // Shift the value right until it fits in 8 bits; the shift count is the exponent and the
    // remaining 8 bits (128..255 once shifted) the linear sub-bucket.
    internal static int IndexOf(long value)
    {
        var bits = 64 - long.LeadingZeroCount(value);
        var shift = (int)Math.Max(0, bits - SubBucketBits);
        var sub = (int)(value >> shift);
        return Math.Min(shift, Exponents) * SubBuckets + Math.Min(sub, SubBuckets - 1);
    }

    internal static long UpperEdge(int index)
    {
        var shift = index / SubBuckets;
        var sub = index % SubBuckets;
        return ((long)(sub + 1) << shift) - 1;
    }
}
