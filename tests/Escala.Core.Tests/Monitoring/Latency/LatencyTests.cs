using Escala.Core.Monitoring.Latency;

namespace Escala.Core.Tests.Monitoring.Latency;

public sealed class LatencyTests
{
    [Fact]
    public void Quantiles_are_within_the_stated_relative_error_of_the_nearest_rank_order_statistic()
    {
        // Log-normal latencies around 1 ms, spread over three decades.
        var values = Samples.Normal(100_000, Math.Log(1_000), 1.2, seed: 11).Select(v => (long)Math.Exp(v)).ToArray();
        var histogram = new LatencyHistogram();
        foreach (var v in values)
        {
            histogram.Record(v);
        }

        var sorted = values.Order().ToArray();
        var snapshot = histogram.Snapshot();
        foreach (var q in new[] { 0.5, 0.9, 0.95, 0.99, 0.999 })
        {
            var exact = sorted[(int)Math.Ceiling(q * sorted.Length) - 1];
            var estimate = snapshot.Quantile(q);
            Assert.True(Math.Abs(estimate - exact) <= exact / 64.0, $"q{q}: estimate {estimate}, exact {exact}");
        }

        Assert.Equal(values.Sum(), snapshot.SumMicroseconds);
        Assert.Equal(values.Length, snapshot.Count);
    }

    [Fact]
    public void Small_latencies_are_exact()
    {
        var histogram = new LatencyHistogram();
        foreach (var v in new long[] { 3, 7, 7, 42, 63 })
        {
            histogram.Record(v);
        }

        var snapshot = histogram.Snapshot();
        Assert.Equal(7, snapshot.Quantile(0.5));
        Assert.Equal(63, snapshot.Quantile(1));
        Assert.Equal(3, snapshot.Quantile(0));
        Assert.Equal(3, snapshot.CountAtOrBelow(7));
    }

    [Fact]
    public void Bucket_bounds_cover_every_value_once()
    {
        for (var i = 1; i < LatencyBuckets.Count; i++)
        {
            Assert.Equal(LatencyBuckets.LowerBound(i - 1) + LatencyBuckets.Width(i - 1), LatencyBuckets.LowerBound(i));
            Assert.Equal(i, LatencyBuckets.IndexOf(LatencyBuckets.LowerBound(i)));
            Assert.True(LatencyBuckets.Width(i) * 32 <= Math.Max(LatencyBuckets.LowerBound(i), 32));
        }
    }

    [Fact]
    public void Concurrent_records_are_all_counted_and_snapshots_merge()
    {
        var histogram = new LatencyHistogram();
        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                histogram.Record(TimeSpan.FromMicroseconds(100 + (i % 900)));
            }
        });

        var snapshot = histogram.Snapshot();
        Assert.Equal(400_000, snapshot.Count);
        Assert.Equal(800_000, LatencySnapshot.Merge(snapshot, snapshot).Count);
    }

    [Fact]
    public void Recording_allocates_nothing()
    {
        var histogram = new LatencyHistogram();
        var counters = new RequestCounters();
        histogram.Record(1);
        counters.RecordSuccess();
        var allocated = Allocations.BestOf(3, () =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                histogram.Record(i);
                counters.RecordSuccess();
            }
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Counters_count_each_outcome()
    {
        var counters = new RequestCounters();
        Parallel.For(0, 1_000, i =>
        {
            switch (i % 10)
            {
                case 0: counters.RecordError(); break;
                case 1: counters.RecordFallback(); break;
                case 2: counters.RecordRejected(); break;
                default: counters.RecordSuccess(); break;
            }
        });

        Assert.Equal(new RequestCounts(1_000, 100, 100, 100), counters.Read());
    }

    [Fact]
    public void Slo_availability_burn_rate_and_budget_follow_the_sre_workbook_arithmetic()
    {
        var slo = new ServiceLevelObjective(0.999, TimeSpan.FromDays(30));
        slo.Validate();

        // 100,000 requests of which 1,000 were quality rejections (not counted), 198 errors, 500 fallbacks.
        var counts = new RequestCounts(100_000, 198, 500, 1_000);
        Assert.Equal(1 - (198.0 / 99_000), slo.Availability(counts), 1e-12);

        // Error ratio 0.002 over a budget of 0.001: burning twice as fast as allowed; the budget is overspent by 100%.
        Assert.Equal(2.0, slo.BurnRate(counts), 1e-9);
        Assert.Equal(-1.0, slo.ErrorBudgetRemaining(counts), 1e-9);

        var strict = slo with { FallbacksAreBad = true };
        Assert.Equal(698.0 / 99_000 / 0.001, strict.BurnRate(counts), 1e-9);
        Assert.Equal(0, slo.BurnRate(default));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceLevelObjective(1.5, TimeSpan.FromDays(1)).Validate());
    }
}
