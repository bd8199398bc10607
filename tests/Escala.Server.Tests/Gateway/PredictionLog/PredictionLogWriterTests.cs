using Escala.Core.PredictionLog;
using Escala.Server.PredictionLog;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Escala.Server.Tests.Gateway.PredictionLog;

public sealed class PredictionLogWriterTests
{
    [Fact]
    public async Task Graceful_shutdown_writes_every_buffered_line()
    {
        var store = new CollectingStore();
        var writer = Writer(store, new PredictionLogOptions { Linger = TimeSpan.FromSeconds(30), BatchSize = 64 });
        await writer.StartAsync(TestContext.Current.CancellationToken);

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(writer.TryWrite(Line(i)));
        }

        await writer.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1000, store.Lines.Count);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"r{i}"), store.Lines.Select(l => l.RequestId));
        Assert.True(store.Batches > 1, "lines are written in batches of at most BatchSize");
        Assert.All(store.BatchSizes, size => Assert.InRange(size, 1, 64));
    }

    [Fact]
    public async Task Shutdown_does_not_wait_out_the_linger_of_a_partial_batch()
    {
        var store = new CollectingStore();
        var writer = Writer(store, new PredictionLogOptions { Linger = TimeSpan.FromMinutes(10), BatchSize = 100 });
        await writer.StartAsync(TestContext.Current.CancellationToken);
        writer.TryWrite(Line(1));
        await Task.Delay(50, TestContext.Current.CancellationToken); // the loop is now lingering for more lines

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await writer.StopAsync(bound.Token);

        Assert.Single(store.Lines);
    }

    [Fact]
    public async Task A_store_that_always_fails_never_fails_the_caller_and_its_lines_are_counted()
    {
        var store = new CollectingStore { Fail = true };
        var writer = Writer(store, new PredictionLogOptions { MaxAttempts = 3, RetryDelay = TimeSpan.FromMilliseconds(1), Linger = TimeSpan.Zero });
        await writer.StartAsync(TestContext.Current.CancellationToken);

        for (var i = 0; i < 50; i++)
        {
            Assert.True(writer.TryWrite(Line(i)));
        }

        await writer.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(50, writer.Failed);
        Assert.Equal(0, writer.Written);
        Assert.True(store.Attempts >= 3);
    }

    [Fact]
    public async Task A_full_buffer_drops_new_lines_and_counts_them()
    {
        var store = new CollectingStore();
        var writer = Writer(store, new PredictionLogOptions { Capacity = 10 });

        // Not started yet, so nothing drains the buffer.
        var accepted = Enumerable.Range(0, 25).Count(i => writer.TryWrite(Line(i)));

        Assert.Equal(10, accepted);
        Assert.Equal(15, writer.Dropped);
        await writer.StartAsync(TestContext.Current.CancellationToken);
        await writer.StopAsync(TestContext.Current.CancellationToken);
        Assert.Equal(10, store.Lines.Count);
    }

    [Fact]
    public async Task A_store_that_recovers_gets_the_batch_it_failed_on()
    {
        var store = new CollectingStore { FailTimes = 2 };
        var writer = Writer(store, new PredictionLogOptions { MaxAttempts = 5, RetryDelay = TimeSpan.FromMilliseconds(1), Linger = TimeSpan.Zero });
        await writer.StartAsync(TestContext.Current.CancellationToken);

        writer.TryWrite(Line(1));
        await writer.StopAsync(TestContext.Current.CancellationToken);

        Assert.Single(store.Lines);
        Assert.Equal(0, writer.Failed);
    }

    [Fact]
    public async Task Lines_written_after_shutdown_are_refused_and_counted_not_lost_silently()
    {
        var writer = Writer(new CollectingStore(), new PredictionLogOptions());
        await writer.StartAsync(TestContext.Current.CancellationToken);
        await writer.StopAsync(TestContext.Current.CancellationToken);

        Assert.False(writer.TryWrite(Line(1)));
        Assert.Equal(1, writer.Dropped);
    }

    [Fact]
    public async Task Retention_deletes_lines_older_than_the_configured_days()
    {
        var store = new CollectingStore();
        var now = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
        store.Lines.Add(Line(1) with { At = now.AddDays(-31) });
        store.Lines.Add(Line(2) with { At = now.AddDays(-29) });
        var retention = new PredictionLogRetention(store, Options.Create(new PredictionLogOptions { RetentionDays = 30 }), new FixedTime(now), NullLogger<PredictionLogRetention>.Instance);

        var deleted = await retention.SweepAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, deleted);
        Assert.Equal(["r2"], store.Lines.Select(l => l.RequestId));
    }

    private static PredictionLogWriter Writer(IPredictionLogStore store, PredictionLogOptions options) =>
        new(store, Options.Create(options), TimeProvider.System, NullLogger<PredictionLogWriter>.Instance);

    private static PredictionRecord Line(int i) => new(
        $"r{i}", DateTimeOffset.UnixEpoch, "credit", "credit:1", "pilot", null, PredictionKind.Served, "routed", null,
        "{\"x\":[1]}"u8.ToArray(), "{\"y\":[0]}"u8.ToArray(), 120);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class CollectingStore : IPredictionLogStore
    {
        public List<PredictionRecord> Lines { get; } = [];

        public List<int> BatchSizes { get; } = [];

        public int Batches => BatchSizes.Count;

        public bool Fail { get; init; }

        public int FailTimes { get; set; }

        public int Attempts { get; private set; }

        public Task AppendAsync(IReadOnlyList<PredictionRecord> batch, CancellationToken cancellationToken)
        {
            Attempts++;
            if (Fail || FailTimes-- > 0)
            {
                throw new IOException("disk full");
            }

            BatchSizes.Add(batch.Count);
            Lines.AddRange(batch);
            return Task.CompletedTask;
        }

        public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
            Task.FromResult(Lines.RemoveAll(l => l.At < cutoff));

        public Task<IReadOnlyList<PredictionRecord>> QueryAsync(PredictionLogQuery query, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<PredictionRecord>>([.. Lines]);
    }
}
