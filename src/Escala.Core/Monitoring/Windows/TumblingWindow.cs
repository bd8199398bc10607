using System.Collections.Concurrent;
using Escala.Core.Monitoring.Baselines;

namespace Escala.Core.Monitoring.Windows;

/// <summary>
/// Consecutive, non-overlapping windows over one baseline (one per endpoint/version, or however the caller
/// keys them). The request path calls <see cref="Add"/>; a background worker calls <see cref="Poll"/> (so a
/// quiet endpoint's time window still closes) and drains closed windows with <see cref="TryTakeClosed"/>,
/// where the shards are merged, off the request path. Count windows hold exactly N rows even with
/// concurrent writers. At most <see cref="MaxPending"/> closed windows wait to be drained; older ones are
/// dropped and counted in <see cref="DroppedWindows"/>.
/// </summary>
public sealed class TumblingWindow
{
    /// <summary>Closed windows kept waiting for the consumer before the oldest is dropped.</summary>
    public const int MaxPending = 256;

    private readonly BaselineProfile _baseline;
    private readonly WindowSpec _spec;
    private readonly TimeProvider _time;
    private readonly int _shards;
    private readonly ConcurrentQueue<OpenWindow> _closed = new();
    private OpenWindow _open;
    private long _dropped;

    /// <summary>Starts the first window now.</summary>
    public TumblingWindow(BaselineProfile baseline, WindowSpec spec, TimeProvider? time = null, int shards = 0)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(spec);
        _baseline = baseline;
        _spec = spec;
        _time = time ?? TimeProvider.System;
        _shards = shards;
        _open = NewWindow(_time.GetUtcNow());
    }

    /// <summary>How windows are cut.</summary>
    public WindowSpec Spec => _spec;

    /// <summary>Closed windows dropped because nobody drained them.</summary>
    public long DroppedWindows => Interlocked.Read(ref _dropped);

    /// <summary>Adds one row (baseline feature order) and its prediction to the current window. Thread-safe; allocates only when it opens a new window.</summary>
    public void Add(ReadOnlySpan<FeatureValue> row, FeatureValue prediction = default)
    {
        var spin = default(SpinWait);
        while (true)
        {
            var open = Volatile.Read(ref _open);
            if (_spec.Rows is { } capacity)
            {
                var ticket = Interlocked.Increment(ref open.Tickets);
                if (ticket > capacity)
                {
                    // This window is full; the writer holding the last ticket is installing the next one.
                    spin.SpinOnce();
                    continue;
                }

                if (ticket == capacity)
                {
                    Interlocked.CompareExchange(ref _open, NewWindow(_time.GetUtcNow()), open);
                }

                // A count window is closed only after all of its tickets have completed, so this fails only when
                // CloseCurrent cut the window short; the row then goes to the next window.
                if (!open.Accumulator.TryAdd(row, prediction))
                {
                    continue;
                }

                if (Interlocked.Increment(ref open.Completed) == capacity)
                {
                    open.End = _time.GetUtcNow();
                    Enqueue(open);
                }

                return;
            }

            var now = _time.GetUtcNow();
            if (now >= open.End)
            {
                Rotate(open, now);
                continue;
            }

            if (open.Accumulator.TryAdd(row, prediction))
            {
                return;
            }
        }
    }

    /// <summary>Closes the current time window if its end has passed. Call it periodically (e.g. every second) from a background worker.</summary>
    public void Poll()
    {
        var open = Volatile.Read(ref _open);
        var now = _time.GetUtcNow();
        if (_spec.Length is not null && now >= open.End)
        {
            Rotate(open, now);
        }
    }

    /// <summary>Takes the oldest closed window, merging its shards (call from a background worker, not the request path).</summary>
    public bool TryTakeClosed(out WindowSnapshot snapshot)
    {
        if (_closed.TryDequeue(out var window))
        {
            snapshot = window.Accumulator.Close(window.Start, window.End);
            return true;
        }

        snapshot = null!;
        return false;
    }

    /// <summary>The current window so far, without closing it (a live view).</summary>
    public WindowSnapshot Peek()
    {
        var open = Volatile.Read(ref _open);
        return open.Accumulator.Snapshot(open.Start, _time.GetUtcNow());
    }

    /// <summary>Closes the current window now, whatever its size or age (e.g. on shutdown), and returns it.</summary>
    public WindowSnapshot CloseCurrent()
    {
        while (true)
        {
            var open = Volatile.Read(ref _open);
            var now = _time.GetUtcNow();
            if (Interlocked.CompareExchange(ref _open, NewWindow(now), open) == open)
            {
                return open.Accumulator.Close(open.Start, now);
            }
        }
    }

    private void Rotate(OpenWindow open, DateTimeOffset now)
    {
        if (Interlocked.CompareExchange(ref _open, NewWindow(now), open) == open)
        {
            Enqueue(open);
        }
    }

    private void Enqueue(OpenWindow window)
    {
        _closed.Enqueue(window);
        while (_closed.Count > MaxPending && _closed.TryDequeue(out _))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private OpenWindow NewWindow(DateTimeOffset now)
    {
        var accumulator = new WindowAccumulator(_baseline, _shards);
        if (_spec.Length is { } length)
        {
            // Aligned to the epoch so all nodes agree on window boundaries.
            var start = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % length.Ticks), TimeSpan.Zero);
            return new OpenWindow(accumulator, start, start + length);
        }

        return new OpenWindow(accumulator, now, DateTimeOffset.MaxValue);
    }

    private sealed class OpenWindow(WindowAccumulator accumulator, DateTimeOffset start, DateTimeOffset end)
    {
#pragma warning disable SA1401, CA1051 // Interlocked needs fields, not properties.
        public long Tickets;
        public long Completed;
#pragma warning restore SA1401, CA1051

        public WindowAccumulator Accumulator { get; } = accumulator;

        public DateTimeOffset Start { get; } = start;

        public DateTimeOffset End { get; set; } = end;
    }
}
