using Escala.Core.Monitoring.Baselines;

namespace Escala.Core.Monitoring.Windows;

/// <summary>
/// Finds a value's fine bin in a few nanoseconds: a uniform grid over [first edge, last edge] says which
/// few edges can hold the value, then a short scan settles it. A binary search over 100 edges is a chain of
/// seven dependent loads (~40 ns measured here), which made binning the largest per-request cost of
/// monitoring. Same answer as <see cref="NumericSummary.BinOf"/>: the number of edges strictly below the value.
/// </summary>
internal sealed class BinLocator
{
    // Scanning more edges than this falls back to binary search (heavily skewed features crowd edges into one cell).
    private const int MaxScan = 8;

    private readonly double[] _edges;
    private readonly int[] _cellLow;
    private readonly int[] _cellHigh;
    private readonly double _first;
    private readonly double _last;
    private readonly double _cellsPerUnit;

    public BinLocator(double[] edges)
    {
        _edges = edges;
        if (edges.Length < 2)
        {
            _cellLow = _cellHigh = [];
            _first = edges.Length == 1 ? edges[0] : 0;
            _last = _first;
            return;
        }

        _first = edges[0];
        _last = edges[^1];
        var cells = Math.Clamp(edges.Length * 8, 64, 4096);
        _cellsPerUnit = cells / (_last - _first);
        _cellLow = new int[cells];
        _cellHigh = new int[cells];
        var width = (_last - _first) / cells;
        for (var c = 0; c < cells; c++)
        {
            // Widened by one cell on each side so rounding in the cell computation can never leave the answer outside [low, high].
            var start = _first + (Math.Max(c - 1, 0) * width);
            var end = _first + (Math.Min(c + 2, cells) * width);
            _cellLow[c] = NumericSummary.BinOf(edges, start);
            _cellHigh[c] = c + 2 >= cells ? edges.Length : NumericSummary.BinOf(edges, end);
        }
    }

    public int BinOf(double value)
    {
        if (value <= _first)
        {
            return 0;
        }

        if (value > _last)
        {
            return _edges.Length;
        }

        var cell = Math.Min((int)((value - _first) * _cellsPerUnit), _cellLow.Length - 1);
        int low = _cellLow[cell], high = _cellHigh[cell];
        if (high - low > MaxScan)
        {
            return low + NumericSummary.BinOf(_edges.AsSpan(low, high - low), value);
        }

        var edges = _edges;
        while (low < high && edges[low] < value)
        {
            low++;
        }

        return low;
    }
}
