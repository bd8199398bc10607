using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Escala.Core.PredictionLog;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escala.Server.PredictionLog;

/// <summary>
/// Takes prediction log lines from the request path without waiting and writes them to the
/// store in batches on a background task. The buffer is bounded: when it is full (the store is
/// slow or down) new lines are dropped and counted, so the log can never slow or fail a
/// prediction. A batch that keeps failing is retried with doubling delays, then dropped and
/// counted. On graceful shutdown everything buffered is written before the host exits.
/// <para>
/// Two kinds of callers wait for the log: a prediction in <see cref="PredictionLogMode.Durable"/> mode waits for its
/// own line (<see cref="WriteDurableAsync"/>), and a ground-truth post waits for everything queued before it
/// (<see cref="FlushAsync"/>). Both put a completion into the same queue, completed once the batch holding it is
/// committed; the queue is first in, first out, so a completion also covers every line queued before it. A batch
/// with a waiter is written without lingering.
/// </para>
/// </summary>
public sealed partial class PredictionLogWriter : BackgroundService
{
    private readonly Channel<LogItem> _channel;
    private readonly IPredictionLogStore _store;
    private readonly PredictionLogOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PredictionLogWriter> _logger;
    private readonly CancellationTokenSource _flushNow = new();
    private readonly Lock _lingerLock = new();
    private CancellationTokenSource? _linger;
    private int _wakeRequested;
    private readonly Core.Privacy.IPredictionLogPolicy? _policy;
    private long _accepted;
    private long _written;
    private long _dropped;
    private long _failed;

    /// <summary>Creates the writer; <paramref name="meterFactory"/> publishes its counters under <c>Escala.PredictionLog</c>.</summary>
    public PredictionLogWriter(
        IPredictionLogStore store,
        IOptions<PredictionLogOptions> options,
        TimeProvider time,
        ILogger<PredictionLogWriter> logger,
        IMeterFactory? meterFactory = null,
        Core.Privacy.IPredictionLogPolicy? policy = null)
    {
        _policy = policy;
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
        // Wait mode with TryWrite: a full buffer makes TryWrite return false, which is the drop we count.
        _channel = Channel.CreateBounded<LogItem>(new BoundedChannelOptions(Math.Max(1, _options.Capacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });

        if (meterFactory is not null)
        {
            var meter = meterFactory.Create("Escala.PredictionLog");
            meter.CreateObservableCounter("escala_prediction_log_written", () => Written, "{line}", "Prediction log lines stored.");
            meter.CreateObservableCounter("escala_prediction_log_dropped", () => Dropped, "{line}", "Lines dropped because the buffer was full.");
            meter.CreateObservableCounter("escala_prediction_log_failed", () => Failed, "{line}", "Lines dropped after the store kept failing.");
            meter.CreateObservableGauge("escala_prediction_log_buffered", () => Buffered, "{line}", "Lines waiting to be written.");
        }
    }

    /// <summary>Lines accepted into the buffer.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Lines stored.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Lines dropped because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Lines dropped because the store failed every attempt.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Lines waiting in the buffer.</summary>
    public int Buffered => _channel.Reader.Count;

    /// <summary>Whether predictions wait for their lines (<see cref="PredictionLogMode.Durable"/>).</summary>
    public bool IsDurable => _options.Mode == PredictionLogMode.Durable;

    /// <summary>Queues a line; never waits. False (and counted) when the buffer is full or the writer has stopped.</summary>
    public bool TryWrite(PredictionRecord record)
    {
        // Personal-data policies apply before the line is queued: nothing raw is buffered or written.
        record = _policy?.Apply(record) ?? record;
        if (_channel.Writer.TryWrite(new LogItem(record, null)))
        {
            Interlocked.Increment(ref _accepted);
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>
    /// Queues a line and completes once it is committed: true when stored, false when the buffer was full, the
    /// writer has stopped or the store failed every attempt (the line is then counted as dropped or failed).
    /// </summary>
    public Task<bool> WriteDurableAsync(PredictionRecord record)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        record = _policy?.Apply(record) ?? record;
        if (!_channel.Writer.TryWrite(new LogItem(record, done)))
        {
            Interlocked.Increment(ref _dropped);
            return Task.FromResult(false);
        }

        Interlocked.Increment(ref _accepted);
        WakeUp();
        return done.Task;
    }

    /// <summary>
    /// Waits, at most <paramref name="timeout"/>, until every line queued before the call has been written (or has
    /// failed for good). False when the wait ran out (the store is slow or down) or the writer has stopped.
    /// </summary>
    public async Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        try
        {
            // A full buffer makes the marker wait for room, within the same bound.
            await _channel.Writer.WriteAsync(new LogItem(null, done), bound.Token).ConfigureAwait(false);
            WakeUp();
            await done.Task.WaitAsync(bound.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>Stops taking lines, writes everything buffered, then stops.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _channel.Writer.TryComplete();
        await _flushNow.CancelAsync().ConfigureAwait(false);
        if (ExecuteTask is { } running)
        {
            // The loop ends by itself once the buffer is drained; the host's token bounds the wait.
            // (Cancelling the base's stopping token first could stop a loop that has not yet started.)
            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The loop runs on its own thread, not the thread pool: SQLite's "async" calls are synchronous, and
    /// a batch's inserts and fsync on a pool thread would take one of the few threads (two on a 2-core
    /// machine) that serve requests, stalling predictions for the length of the fsync.
    /// </remarks>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Loop(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <inheritdoc />
    public override void Dispose()
    {
        _flushNow.Dispose();
        base.Dispose();
    }

    private void Loop(CancellationToken stoppingToken)
    {
        Thread.CurrentThread.Name = "escala-prediction-log";
        var reader = _channel.Reader;
        var batch = new List<PredictionRecord>(_options.BatchSize);
        var waiters = new List<TaskCompletionSource<bool>>();

        // The loop follows the channel, not stoppingToken: it ends when StopAsync completes the
        // channel and the last line is written, so shutdown loses nothing.
        while (reader.WaitToReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            Drain(reader, batch, waiters);
            if (batch.Count < _options.BatchSize && waiters.Count == 0 && !IsDurable && _options.Linger > TimeSpan.Zero && !reader.Completion.IsCompleted)
            {
                Linger(stoppingToken);
                Drain(reader, batch, waiters);
            }

            var stored = batch.Count == 0 || WriteWithRetries(batch);
            foreach (var waiter in waiters)
            {
                waiter.TrySetResult(stored);
            }

            batch.Clear();
            waiters.Clear();
        }
    }

    private void Drain(ChannelReader<LogItem> reader, List<PredictionRecord> batch, List<TaskCompletionSource<bool>> waiters)
    {
        while (batch.Count < _options.BatchSize && reader.TryRead(out var item))
        {
            if (item.Record is { } record)
            {
                batch.Add(record);
            }

            if (item.Done is { } done)
            {
                waiters.Add(done);
            }
        }
    }

    // Waits for more lines to join the batch; a waiter arriving (WakeUp) or shutdown cuts the wait short.
    private void Linger(CancellationToken stoppingToken)
    {
        var linger = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _flushNow.Token);
        lock (_lingerLock)
        {
            _linger = linger;
        }

        try
        {
            if (Interlocked.Exchange(ref _wakeRequested, 0) == 0)
            {
                Task.Delay(_options.Linger, _time, linger.Token).Wait(CancellationToken.None);
            }
        }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException)
        {
            // Woken up or shutting down: write what we have now.
        }
        finally
        {
            lock (_lingerLock)
            {
                _linger = null;
            }

            linger.Dispose();
        }
    }

    private void WakeUp()
    {
        Volatile.Write(ref _wakeRequested, 1);
        lock (_lingerLock)
        {
            _linger?.Cancel();
        }
    }

    // Waits on the injected clock; shutdown (or the stopping token) cuts the wait short.
    private void Sleep(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _flushNow.Token);
            Task.Delay(delay, _time, either.Token).Wait(CancellationToken.None);
        }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException)
        {
            // Shutting down: write what we have now.
        }
    }

    private bool WriteWithRetries(List<PredictionRecord> batch)
    {
        var delay = _options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _store.AppendAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
                Interlocked.Add(ref _written, batch.Count);
                return true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Any store failure (disk full, locked database, a bug in a sink) is contained here:
                // the log must never take predictions down with it.
                if (attempt >= _options.MaxAttempts)
                {
                    Interlocked.Add(ref _failed, batch.Count);
                    LogBatchDropped(_logger, batch.Count, attempt, e);
                    return false;
                }

                LogBatchRetry(_logger, batch.Count, attempt, delay, e.Message);
                Sleep(delay, CancellationToken.None);
                delay *= 2;
            }
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Prediction log: writing {Count} lines failed (attempt {Attempt}); retrying in {Delay}: {Reason}")]
    private static partial void LogBatchRetry(ILogger logger, int count, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Prediction log: dropped {Count} lines after {Attempts} failed attempts")]
    private static partial void LogBatchDropped(ILogger logger, int count, int attempts, Exception exception);

    // A line, a completion, or both: a durable line carries its own; a flush marker is a completion alone.
    private readonly record struct LogItem(PredictionRecord? Record, TaskCompletionSource<bool>? Done);
}
