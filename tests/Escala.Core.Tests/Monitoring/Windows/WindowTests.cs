using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Windows;

namespace Escala.Core.Tests.Monitoring.Windows;

public sealed class WindowTests
{
    private static readonly BaselineProfile Baseline = Drift.DriftDetectorTests.Build(2_000, 0, seed: 1).Baseline;

    [Fact]
    public void Concurrent_writers_lose_no_row()
    {
        var window = new WindowAccumulator(Baseline, shards: 4);
        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 25_000; i++)
            {
                window.Add([FeatureValue.Of(i % 20), FeatureValue.Of("red")], FeatureValue.Of(0.5));
            }
        });

        var snapshot = window.Close(default, default);
        Assert.Equal(200_000, snapshot.Rows);
        Assert.Equal(200_000, snapshot.Features[0].Present);
        Assert.Equal(200_000, snapshot.Features[1].Counts[Array.IndexOf(Baseline.Features[1].Categorical!.Categories, "red")]);
        Assert.Equal(9.5, snapshot.Features[0].Mean, 1e-9);
    }

    [Fact]
    public void A_closed_window_refuses_rows_so_they_go_to_the_next_one()
    {
        var window = new WindowAccumulator(Baseline);
        window.Add([FeatureValue.Of(1), FeatureValue.Of("red")]);
        window.Close(default, default);

        Assert.False(window.TryAdd([FeatureValue.Of(1), FeatureValue.Of("red")]));
        Assert.Throws<InvalidOperationException>(() => window.Add([FeatureValue.Of(1), FeatureValue.Of("red")]));
    }

    [Fact]
    public void Missing_and_invalid_values_are_counted_apart_from_the_bins()
    {
        var window = new WindowAccumulator(Baseline);
        window.Add([FeatureValue.Missing, FeatureValue.Missing]);
        window.Add([FeatureValue.Of("text"), FeatureValue.Of("never-seen")]);
        window.Add([FeatureValue.Of(double.PositiveInfinity), FeatureValue.Of(7)]);

        var snapshot = window.Close(default, default);
        Assert.Equal(1, snapshot.Features[0].Missing);
        Assert.Equal(2, snapshot.Features[0].Invalid);
        Assert.Equal(0, snapshot.Features[0].Present);
        Assert.Equal(1, snapshot.Features[1].Missing);
        Assert.Equal(2, snapshot.Features[1].Counts[^1]);
    }

    [Fact]
    public void Memory_is_fixed_by_the_baseline_not_by_traffic()
    {
        var window = new WindowAccumulator(Baseline, shards: 2);
        var bytes = window.CounterBytes;
        for (var i = 0; i < 100_000; i++)
        {
            window.Add([FeatureValue.Of(i), FeatureValue.Of("green")]);
        }

        Assert.Equal(bytes, window.CounterBytes);
        Assert.True(bytes < 16 * 1024, $"{bytes} bytes");
    }

    [Fact]
    public void Adding_a_row_allocates_nothing()
    {
        var window = new WindowAccumulator(Baseline);
        FeatureValue[] row = [FeatureValue.Of(10), FeatureValue.Of("blue")];
        window.Add(row, FeatureValue.Of(0.4));

        var allocated = Allocations.BestOf(3, () =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                window.Add(row, FeatureValue.Of(0.4));
            }
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Count_windows_hold_exactly_n_rows_under_concurrent_writers()
    {
        var tumbling = new TumblingWindow(Baseline, WindowSpec.ByCount(1_000));
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 2_500; i++)
            {
                tumbling.Add([FeatureValue.Of(i), FeatureValue.Of("red")]);
            }
        });

        var closed = new List<WindowSnapshot>();
        while (tumbling.TryTakeClosed(out var snapshot))
        {
            closed.Add(snapshot);
        }

        Assert.Equal(10, closed.Count);
        Assert.All(closed, w => Assert.Equal(1_000, w.Rows));
        Assert.Equal(0, tumbling.Peek().Rows);
    }

    [Fact]
    public void Time_windows_close_at_aligned_boundaries_even_without_traffic()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 10, 20, 0, TimeSpan.Zero));
        var tumbling = new TumblingWindow(Baseline, WindowSpec.ByTime(TimeSpan.FromHours(1)), time);
        tumbling.Add([FeatureValue.Of(1), FeatureValue.Of("red")]);
        time.Advance(TimeSpan.FromMinutes(30));
        tumbling.Add([FeatureValue.Of(2), FeatureValue.Of("red")]);
        time.Advance(TimeSpan.FromMinutes(15));
        tumbling.Add([FeatureValue.Of(3), FeatureValue.Of("red")]);

        Assert.True(tumbling.TryTakeClosed(out var first));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero), first.Start);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 11, 0, 0, TimeSpan.Zero), first.End);
        Assert.Equal(2, first.Rows);

        time.Advance(TimeSpan.FromHours(1));
        Assert.False(tumbling.TryTakeClosed(out _));
        tumbling.Poll();
        Assert.True(tumbling.TryTakeClosed(out var second));
        Assert.Equal(1, second.Rows);
        Assert.Equal(3, second.Features[0].Min);
    }

    [Fact]
    public void Windows_merge_across_nodes()
    {
        var a = new WindowAccumulator(Baseline);
        var b = new WindowAccumulator(Baseline);
        a.Add([FeatureValue.Of(1), FeatureValue.Of("red")]);
        b.Add([FeatureValue.Of(30), FeatureValue.Of("green")]);
        b.Add([FeatureValue.Missing, FeatureValue.Of("green")]);

        var merged = WindowSnapshot.Merge(a.Close(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(1)), b.Close(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(2)));
        Assert.Equal(3, merged.Rows);
        Assert.Equal(2, merged.Features[0].Present);
        Assert.Equal(1, merged.Features[0].Missing);
        Assert.Equal(1, merged.Features[0].Min);
        Assert.Equal(30, merged.Features[0].Max);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddMinutes(2), merged.End);
    }

    [Fact]
    public void Window_bins_agree_with_the_baseline_binning_on_skewed_data_and_exact_edges()
    {
        // Cubed exponentials crowd most edges near zero with a long tail; values on edges must land in the bin they close.
        var random = new Random(21);
        var reference = Enumerable.Range(0, 20_000).Select(_ => Math.Pow(-Math.Log(1 - random.NextDouble()), 3)).ToArray();
        var baseline = Samples.Baseline("x", reference);
        var edges = baseline.Features[0].Numeric!.Edges;
        var values = Enumerable.Range(0, 20_000).Select(_ => Math.Pow(-Math.Log(1 - random.NextDouble()), 3) * 1.5)
            .Concat(edges).Concat(edges.Select(e => Math.BitDecrement(e))).Concat(edges.Select(e => Math.BitIncrement(e))).Concat([-1.0, 0, 1e9]).ToArray();

        var window = new WindowAccumulator(baseline);
        var expected = new long[edges.Length + 1];
        foreach (var v in values)
        {
            window.Add([FeatureValue.Of(v)]);
            expected[NumericSummary.BinOf(edges, v)]++;
        }

        Assert.Equal(expected, window.Close(default, default).Features[0].Counts);
    }

    [Theory]
    [InlineData(1e-300, 1e300)]
    [InlineData(-1.7e308, 1.7e308)]
    [InlineData(1_000_000, 1_000_000.000001)]
    public void Window_bins_agree_with_the_baseline_binning_on_extreme_scales(double low, double high)
    {
        var random = new Random(8);
        var reference = Enumerable.Range(0, 5_000).Select(_ => Math.Pow(random.NextDouble(), 4)).Select(t => (low * (1 - t)) + (high * t)).ToArray();
        var baseline = Samples.Baseline("x", reference);
        var edges = baseline.Features[0].Numeric!.Edges;
        var values = reference.Take(2_000).Concat(edges).Concat(edges.Select(Math.BitIncrement)).Concat(edges.Select(Math.BitDecrement)).ToArray();

        var window = new WindowAccumulator(baseline);
        var expected = new long[edges.Length + 1];
        foreach (var v in values)
        {
            window.Add([FeatureValue.Of(v)]);
            expected[NumericSummary.BinOf(edges, v)]++;
        }

        Assert.Equal(expected, window.Close(default, default).Features[0].Counts);
    }

    [Fact]
    public void Baseline_binning_counts_the_edges_strictly_below_a_value()
    {
        double[] edges = [1, 2, 3, 5, 8];
        foreach (var v in new[] { 0.0, 1, 1.5, 2, 2.5, 3, 4, 5, 7, 8, 9 })
        {
            Assert.Equal(edges.Count(e => e < v), NumericSummary.BinOf(edges, v));
        }

        Assert.Equal(0, NumericSummary.BinOf([], 3));
    }

    [Fact]
    public void A_window_survives_a_json_round_trip_and_still_drives_drift()
    {
        var window = new WindowAccumulator(Baseline);
        window.Add([FeatureValue.Of(12), FeatureValue.Of("red")], FeatureValue.Of(0.6));
        window.Add([FeatureValue.Missing, FeatureValue.Of("teal")], FeatureValue.Of(0.4));
        var closed = window.Close(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1));

        var copy = WindowJson.FromJson(WindowJson.ToJson(closed));
        Assert.Equal(WindowJson.ToJson(closed), WindowJson.ToJson(copy));
        Assert.Equal(closed.Features[0].Counts, copy.Features[0].Counts);
        Assert.Throws<FormatException>(() => WindowJson.FromJson("{\"rows\":1}"));
        Assert.Throws<FormatException>(() => WindowJson.FromJson("[1"));
    }

    [Fact]
    public void Closing_a_count_window_early_loses_no_row_of_concurrent_writers()
    {
        var tumbling = new TumblingWindow(Baseline, WindowSpec.ByCount(1_000_000));
        long closedRows = 0;
        var writers = Task.Run(() => Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                tumbling.Add([FeatureValue.Of(i), FeatureValue.Of("red")]);
            }
        }));
        while (!writers.IsCompleted)
        {
            closedRows += tumbling.CloseCurrent().Rows;
        }

        closedRows += tumbling.CloseCurrent().Rows;
        Assert.Equal(80_000, closedRows);
    }

    [Fact]
    public void Undrained_closed_windows_are_bounded_and_the_drops_counted()
    {
        var tumbling = new TumblingWindow(Baseline, WindowSpec.ByCount(1));
        for (var i = 0; i < TumblingWindow.MaxPending + 44; i++)
        {
            tumbling.Add([FeatureValue.Of(i), FeatureValue.Of("red")]);
        }

        var pending = 0;
        while (tumbling.TryTakeClosed(out _))
        {
            pending++;
        }

        Assert.Equal(TumblingWindow.MaxPending, pending);
        Assert.Equal(44, tumbling.DroppedWindows);
    }

    [Fact]
    public void A_batch_counts_exactly_what_the_same_rows_added_one_by_one_count()
    {
        var random = new Random(5);
        string[] colours = ["red", "green", "blue", "teal"];
        var rows = Enumerable.Range(0, 3_000).Select(i => new[]
        {
            i % 17 == 0 ? FeatureValue.Missing : FeatureValue.Of(random.NextDouble() * 40),
            FeatureValue.Of(colours[random.Next(4)]),
        }).ToArray();
        var predictions = rows.Select(r => FeatureValue.Of(random.NextDouble())).ToArray();

        var one = new WindowAccumulator(Baseline);
        for (var i = 0; i < rows.Length; i++)
        {
            one.Add(rows[i], predictions[i]);
        }

        var batch = new WindowAccumulator(Baseline);
        Assert.True(batch.TryAddBatch(rows.AsSpan(0, 1_000), predictions.AsSpan(0, 1_000)));
        Assert.True(batch.TryAddBatch(rows.AsSpan(1_000), predictions.AsSpan(1_000)));

        var expected = one.Close(default, default);
        var actual = batch.Close(default, default);
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Features[0].Counts, actual.Features[0].Counts);
        Assert.Equal(expected.Features[0].Missing, actual.Features[0].Missing);
        Assert.Equal(expected.Features[1].Counts, actual.Features[1].Counts);
        Assert.Equal(expected.Prediction!.Counts, actual.Prediction!.Counts);
        Assert.False(batch.TryAddBatch(rows.AsSpan(0, 1)));
        Assert.Throws<ArgumentException>(() => new WindowAccumulator(Baseline).TryAddBatch(rows.AsSpan(0, 2), predictions.AsSpan(0, 1)));
    }
}
