using Escala.Core.Monitoring.Latency;
using Escala.Core.Monitoring.Status;

namespace Escala.Server.Monitoring.Live;

/// <summary>
/// Keeps request counts beyond the process's life: <see cref="FlushAsync"/> adds what each live series gained since
/// the last flush to its UTC hour in the database; reads add the part not flushed yet, so a period's counts are
/// exact up to the flush interval's attribution at hour boundaries.
/// </summary>
public sealed class DurableCounts(IRequestCountStore store, LiveMetrics metrics, TimeProvider time)
{
    private readonly SemaphoreSlim _flush = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<ServingSeries, RequestCounts> _flushed = [];

    /// <summary>Adds every series' gain since the last flush to the current hour.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _flush.WaitAsync(cancellationToken);
        try
        {
            var hour = Hour(time.GetUtcNow());
            var deltas = new List<HourlyCounts>();
            var reads = new List<(ServingSeries Series, RequestCounts Now)>();
            foreach (var series in metrics.All)
            {
                var now = series.Counters.Read();
                var delta = now.Since(Flushed(series));
                if (delta.Requests != 0)
                {
                    deltas.Add(new HourlyCounts(series.Endpoint, series.Target, series.Department, hour, delta));
                    reads.Add((series, now));
                }
            }

            await store.AddAsync(deltas, cancellationToken);
            lock (_gate)
            {
                foreach (var (series, now) in reads)
                {
                    _flushed[series] = now;
                }
            }
        }
        finally
        {
            _flush.Release();
        }
    }

    /// <summary>The endpoint's counts since <paramref name="since"/> (rounded down to its hour).</summary>
    public async Task<RequestCounts> SinceAsync(string endpoint, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        var total = Unflushed(endpoint);
        foreach (var hour in await store.ListAsync(endpoint, Hour(since), cancellationToken))
        {
            total = Add(total, hour.Counts);
        }

        return total;
    }

    /// <summary>The endpoint's hourly counts since <paramref name="since"/>, all versions and departments summed per hour, the current hour including what is not flushed yet.</summary>
    public async Task<IReadOnlyList<(DateTimeOffset Hour, RequestCounts Counts)>> HoursAsync(string endpoint, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        var byHour = new SortedDictionary<DateTimeOffset, RequestCounts>();
        foreach (var hour in await store.ListAsync(endpoint, Hour(since), cancellationToken))
        {
            byHour[hour.Hour] = Add(byHour.GetValueOrDefault(hour.Hour), hour.Counts);
        }

        var current = Hour(time.GetUtcNow());
        var unflushed = Unflushed(endpoint);
        if (unflushed.Requests != 0)
        {
            byHour[current] = Add(byHour.GetValueOrDefault(current), unflushed);
        }

        return [.. byHour.Select(p => (p.Key, p.Value))];
    }

    /// <summary>The start of the UTC hour holding <paramref name="at"/>.</summary>
    public static DateTimeOffset Hour(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    /// <summary>The sum of two counts.</summary>
    public static RequestCounts Add(RequestCounts a, RequestCounts b) =>
        new(a.Requests + b.Requests, a.Errors + b.Errors, a.Fallbacks + b.Fallbacks, a.Rejected + b.Rejected);

    private RequestCounts Flushed(ServingSeries series)
    {
        lock (_gate)
        {
            return _flushed.GetValueOrDefault(series);
        }
    }

    private RequestCounts Unflushed(string endpoint)
    {
        var total = default(RequestCounts);
        foreach (var series in metrics.Of(endpoint))
        {
            total = Add(total, series.Counters.Read().Since(Flushed(series)));
        }

        return total;
    }
}
