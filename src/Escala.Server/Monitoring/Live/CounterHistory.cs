using Escala.Core.Monitoring.Latency;

namespace Escala.Server.Monitoring.Live;

/// <summary>
/// Recent samples of each endpoint's cumulative counters and latency histogram (sparse: only non-empty buckets),
/// so rules and the status page can ask "over the last five minutes": the difference between now and the sample
/// taken that long ago. Bounded: one sample per <c>spacing</c> for <c>length</c>.
/// </summary>
public sealed class CounterHistory(TimeSpan spacing, TimeSpan length)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Point>> _samples = new(StringComparer.Ordinal);

    /// <summary>How far back samples go.</summary>
    public TimeSpan Length { get; } = length;

    /// <summary>Takes a sample of every endpoint's totals, unless the last one is younger than the spacing.</summary>
    public void Sample(DateTimeOffset now, LiveMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        foreach (var endpoint in metrics.Endpoints)
        {
            lock (_gate)
            {
                if (_samples.TryGetValue(endpoint, out var list) && list.Count > 0 && now - list[^1].At < spacing)
                {
                    continue;
                }
            }

            var (counts, latency) = Totals(metrics, endpoint);
            var sample = new Point(now, counts, SparseLatency.Of(latency));
            lock (_gate)
            {
                if (!_samples.TryGetValue(endpoint, out var list))
                {
                    _samples[endpoint] = list = [];
                }

                list.Add(sample);
                var cutoff = now - Length - spacing;
                var old = list.FindIndex(s => s.At >= cutoff);
                if (old > 0)
                {
                    list.RemoveRange(0, old);
                }
            }
        }
    }

    /// <summary>
    /// What the endpoint did over the last <paramref name="lookback"/> (at most <see cref="Length"/>): the counts, the
    /// latency histogram of that period, and the period actually covered (from the sample nearest its start).
    /// </summary>
    public (RequestCounts Counts, LatencySnapshot Latency, TimeSpan Covered) Over(LiveMetrics metrics, string endpoint, TimeSpan lookback, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var (counts, latency) = Totals(metrics, endpoint);
        Point? start = null;
        lock (_gate)
        {
            if (_samples.TryGetValue(endpoint, out var list))
            {
                // The newest sample at or before the start of the period.
                var from = now - lookback;
                foreach (var s in list)
                {
                    if (s.At > from)
                    {
                        break;
                    }

                    start = s;
                }
            }
        }

        // No sample that old: every count is newer than the period's start, because an endpoint is sampled within one
        // spacing of its first request and samples are kept for the whole history length.
        return start is null
            ? (counts, latency, lookback)
            : (counts.Since(start.Counts), start.Latency.Subtract(latency), now - start.At);
    }

    /// <summary>The endpoint's totals over all its versions and departments.</summary>
    public static (RequestCounts Counts, LatencySnapshot Latency) Totals(LiveMetrics metrics, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var counts = default(RequestCounts);
        var buckets = new long[LatencyBuckets.Count];
        long sum = 0;
        foreach (var series in metrics.Of(endpoint))
        {
            var c = series.Counters.Read();
            counts = new RequestCounts(counts.Requests + c.Requests, counts.Errors + c.Errors, counts.Fallbacks + c.Fallbacks, counts.Rejected + c.Rejected);
            var snapshot = series.Latency.Snapshot();
            var source = snapshot.Buckets;
            for (var i = 0; i < buckets.Length; i++)
            {
                buckets[i] += source[i];
            }

            sum += snapshot.SumMicroseconds;
        }

        return (counts, new LatencySnapshot(buckets, sum));
    }

    private sealed record Point(DateTimeOffset At, RequestCounts Counts, SparseLatency Latency);

    // Only the non-empty buckets of a cumulative histogram (a few hundred at most instead of 1,152).
    private sealed record SparseLatency(int[] Index, long[] Count, long Sum)
    {
        public static SparseLatency Of(LatencySnapshot snapshot)
        {
            var index = new List<int>();
            var count = new List<long>();
            var buckets = snapshot.Buckets;
            for (var i = 0; i < buckets.Length; i++)
            {
                if (buckets[i] != 0)
                {
                    index.Add(i);
                    count.Add(buckets[i]);
                }
            }

            return new SparseLatency([.. index], [.. count], snapshot.SumMicroseconds);
        }

        // now - this (cumulative histograms only grow, so every bucket stays non-negative).
        public LatencySnapshot Subtract(LatencySnapshot now)
        {
            var buckets = now.Buckets.ToArray();
            for (var k = 0; k < Index.Length; k++)
            {
                buckets[Index[k]] = Math.Max(0, buckets[Index[k]] - Count[k]);
            }

            return new LatencySnapshot(buckets, Math.Max(0, now.SumMicroseconds - Sum));
        }
    }
}
