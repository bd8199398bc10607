using Escala.Core.Monitoring.Baselines;

namespace Escala.Core.Monitoring.Windows;

/// <summary>
/// Accumulates request rows into per-column counts in the baseline's bins. Memory is fixed at construction
/// (shards x bins), whatever the traffic. Writers are spread over shards by the core they run on; each shard
/// has its own lock, so concurrent writers on different cores never contend and there is no global lock.
/// <see cref="Close"/> merges the shards into an immutable <see cref="WindowSnapshot"/>; afterwards
/// <see cref="TryAdd"/> refuses rows, so none is lost or counted twice when a window rotates.
/// </summary>
public sealed class WindowAccumulator
{
    private readonly BaselineProfile _baseline;
    private readonly ColumnPlan[] _plans;
    private readonly Shard[] _shards;
    private readonly int _shardMask;
    private readonly int _countSlots;
    private readonly int _sumSlots;
    private readonly bool _hasPrediction;

    /// <summary>Creates an empty window over <paramref name="baseline"/>'s bins; <paramref name="shards"/> 0 picks one per core (rounded up to a power of two).</summary>
    public WindowAccumulator(BaselineProfile baseline, int shards = 0)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentOutOfRangeException.ThrowIfNegative(shards);
        _baseline = baseline;
        _hasPrediction = baseline.Prediction is not null;
        var columns = baseline.Features.Count + (_hasPrediction ? 1 : 0);
        _plans = new ColumnPlan[columns];
        int countSlots = 0, sumSlots = 0;
        for (var i = 0; i < columns; i++)
        {
            var column = i < baseline.Features.Count ? baseline.Features[i] : baseline.Prediction!;
            if (column.Kind == FeatureKind.Numeric)
            {
                var numeric = column.Numeric!;
                var bins = numeric.BinCount;
                _plans[i] = new ColumnPlan(FeatureKind.Numeric, countSlots, bins, sumSlots, new BinLocator(numeric.Edges), null);
                countSlots += bins + 2;   // bins, missing, invalid
                sumSlots += bins + 3;     // bin sums, sum of squares, min, max
            }
            else
            {
                var slots = column.Categorical!.SlotCount;
                _plans[i] = new ColumnPlan(FeatureKind.Categorical, countSlots, slots, -1, null, baseline.LookupOf(i));
                countSlots += slots + 2;  // categories, other, missing, invalid
            }
        }

        _countSlots = countSlots;
        _sumSlots = sumSlots;
        var shardCount = shards > 0 ? shards : Environment.ProcessorCount;
        shardCount = (int)Math.Min(64, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, shardCount)));
        _shardMask = shardCount - 1;
        _shards = new Shard[shardCount];
        for (var i = 0; i < shardCount; i++)
        {
            _shards[i] = new Shard(countSlots, sumSlots, _plans);
        }
    }

    /// <summary>The baseline whose bins this window counts in.</summary>
    public BaselineProfile Baseline => _baseline;

    /// <summary>Bytes held by the counters (fixed at construction): the memory bound of one window.</summary>
    public long CounterBytes => (long)_shards.Length * ((_countSlots * sizeof(long)) + (_sumSlots * sizeof(double)));

    /// <summary>Adds one row (baseline feature order) and its prediction; throws when the window is closed.</summary>
    public void Add(ReadOnlySpan<FeatureValue> row, FeatureValue prediction = default)
    {
        if (!TryAdd(row, prediction))
        {
            throw new InvalidOperationException("The window is closed; add rows to the next window.");
        }
    }

    /// <summary>Adds one row and its prediction; false when the window was closed meanwhile (add it to the next one). Allocates nothing.</summary>
    public bool TryAdd(ReadOnlySpan<FeatureValue> row, FeatureValue prediction = default)
    {
        if (row.Length != _baseline.Features.Count)
        {
            ThrowRowLength(row.Length);
        }

        var shard = _shards[Thread.GetCurrentProcessorId() & _shardMask];
        lock (shard.Gate)
        {
            if (shard.Closed)
            {
                return false;
            }

            shard.Rows++;
            var counts = shard.Counts;
            var sums = shard.Sums;
            for (var i = 0; i < row.Length; i++)
            {
                AddValue(counts, sums, i, row[i]);
            }

            if (_hasPrediction)
            {
                AddValue(counts, sums, _plans.Length - 1, prediction);
            }
        }

        return true;
    }

    /// <summary>
    /// Adds a batch of rows (a multi-record request, a batch-scoring chunk) under one shard lock, row by row
    /// (column by column was measured slower: a 1,024-row batch does not stay in cache). <paramref name="predictions"/> is empty or has one
    /// value per row. False when the window was closed meanwhile (add the batch to the next one). Allocates nothing.
    /// </summary>
    public bool TryAddBatch(ReadOnlySpan<FeatureValue[]> rows, ReadOnlySpan<FeatureValue> predictions = default)
    {
        if (!predictions.IsEmpty && predictions.Length != rows.Length)
        {
            throw new ArgumentException($"{predictions.Length} predictions for {rows.Length} rows; give one per row or none.", nameof(predictions));
        }

        foreach (var row in rows)
        {
            if (row is null || row.Length != _baseline.Features.Count)
            {
                ThrowRowLength(row?.Length ?? 0);
            }
        }

        var shard = _shards[Thread.GetCurrentProcessorId() & _shardMask];
        lock (shard.Gate)
        {
            if (shard.Closed)
            {
                return false;
            }

            shard.Rows += rows.Length;
            var counts = shard.Counts;
            var sums = shard.Sums;
            for (var r = 0; r < rows.Length; r++)
            {
                var row = rows[r];
                for (var i = 0; i < row.Length; i++)
                {
                    AddValue(counts, sums, i, row[i]);
                }

                if (_hasPrediction)
                {
                    AddValue(counts, sums, _plans.Length - 1, predictions.IsEmpty ? default : predictions[r]);
                }
            }
        }

        return true;
    }

    /// <summary>The rows so far, without closing (for a live view).</summary>
    public WindowSnapshot Snapshot(DateTimeOffset start, DateTimeOffset end) => Collect(start, end, close: false);

    /// <summary>Closes the window (later <see cref="TryAdd"/> calls return false) and returns its summary.</summary>
    public WindowSnapshot Close(DateTimeOffset start, DateTimeOffset end) => Collect(start, end, close: true);

    private void AddValue(long[] counts, double[] sums, int column, in FeatureValue value)
    {
        ref readonly var plan = ref _plans[column];
        var offset = plan.CountOffset;
        if (value.IsMissing)
        {
            counts[offset + plan.Slots]++;
            return;
        }

        if (plan.Kind == FeatureKind.Categorical)
        {
            var slot = plan.Lookup!.SlotOf(value);
            counts[offset + (slot < 0 ? plan.Slots - 1 : slot)]++;
            return;
        }

        if (value.Kind != FeatureValueKind.Number || !double.IsFinite(value.Number))
        {
            counts[offset + plan.Slots + 1]++;
            return;
        }

        var x = value.Number;
        var bin = plan.Bins!.BinOf(x);
        counts[offset + bin]++;
        var s = plan.SumOffset;
        sums[s + bin] += x;
        sums[s + plan.Slots] += x * x;
        if (x < sums[s + plan.Slots + 1])
        {
            sums[s + plan.Slots + 1] = x;
        }

        if (x > sums[s + plan.Slots + 2])
        {
            sums[s + plan.Slots + 2] = x;
        }
    }

    private WindowSnapshot Collect(DateTimeOffset start, DateTimeOffset end, bool close)
    {
        var counts = new long[_countSlots];
        var sums = new double[_sumSlots];
        Shard.InitialiseExtremes(sums, _plans);
        long rows = 0;
        foreach (var shard in _shards)
        {
            lock (shard.Gate)
            {
                shard.Closed |= close;
                rows += shard.Rows;
                for (var i = 0; i < counts.Length; i++)
                {
                    counts[i] += shard.Counts[i];
                }

                foreach (var plan in _plans)
                {
                    if (plan.Kind != FeatureKind.Numeric)
                    {
                        continue;
                    }

                    var s = plan.SumOffset;
                    for (var b = 0; b <= plan.Slots; b++)
                    {
                        sums[s + b] += shard.Sums[s + b];
                    }

                    sums[s + plan.Slots + 1] = Math.Min(sums[s + plan.Slots + 1], shard.Sums[s + plan.Slots + 1]);
                    sums[s + plan.Slots + 2] = Math.Max(sums[s + plan.Slots + 2], shard.Sums[s + plan.Slots + 2]);
                }
            }
        }

        var columns = new ColumnWindow[_plans.Length];
        for (var i = 0; i < _plans.Length; i++)
        {
            var plan = _plans[i];
            var name = i < _baseline.Features.Count ? _baseline.Features[i].Name : _baseline.Prediction!.Name;
            var o = plan.CountOffset;
            var binCounts = counts.AsSpan(o, plan.Slots).ToArray();
            if (plan.Kind == FeatureKind.Numeric)
            {
                var s = plan.SumOffset;
                columns[i] = new ColumnWindow(
                    name,
                    FeatureKind.Numeric,
                    counts[o + plan.Slots],
                    counts[o + plan.Slots + 1],
                    binCounts,
                    sums.AsSpan(s, plan.Slots).ToArray(),
                    sums[s + plan.Slots],
                    sums[s + plan.Slots + 1],
                    sums[s + plan.Slots + 2]);
            }
            else
            {
                columns[i] = new ColumnWindow(name, FeatureKind.Categorical, counts[o + plan.Slots], counts[o + plan.Slots + 1], binCounts, null, 0, double.NaN, double.NaN);
            }
        }

        var features = _hasPrediction ? columns[..^1] : columns;
        return new WindowSnapshot(start, end, rows, features, _hasPrediction ? columns[^1] : null);
    }

    private void ThrowRowLength(int length) =>
        throw new ArgumentException($"Row has {length} values; the baseline has {_baseline.Features.Count} features.");

    // Slots: numeric, the fine bins; categorical, the kept categories + 1 ("other"). Missing and invalid follow them.
    private readonly record struct ColumnPlan(FeatureKind Kind, int CountOffset, int Slots, int SumOffset, BinLocator? Bins, CategoryLookup? Lookup);

    private sealed class Shard
    {
        public Shard(int countSlots, int sumSlots, ColumnPlan[] plans)
        {
            Counts = new long[countSlots];
            Sums = new double[sumSlots];
            InitialiseExtremes(Sums, plans);
        }

        public Lock Gate { get; } = new();

        public long[] Counts { get; }

        public double[] Sums { get; }

        public long Rows { get; set; }

        public bool Closed { get; set; }

        public static void InitialiseExtremes(double[] sums, ColumnPlan[] plans)
        {
            foreach (var plan in plans)
            {
                if (plan.Kind == FeatureKind.Numeric)
                {
                    sums[plan.SumOffset + plan.Slots + 1] = double.PositiveInfinity;
                    sums[plan.SumOffset + plan.Slots + 2] = double.NegativeInfinity;
                }
            }
        }
    }
}
