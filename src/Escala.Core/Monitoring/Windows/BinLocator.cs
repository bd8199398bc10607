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

    // _firstBin[c] = bins below the start of cell c, for cells - 1 .. cells + 2 (one cell of slack on each side,
    // so rounding in the cell computation can never put the answer outside [_firstBin[c], _firstBin[c + 3]]).
    // Two cells per edge in 16-bit entries keep the table to ~400 bytes per feature: it must stay in L1 with
    // the counters of twenty features, which mattered more than the scan length (measured).
    private readonly ushort[] _firstBin;
    private readonly double _first;
    private readonly double _last;
    private readonly double _cellsPerUnit;
    private readonly int _cells;

    public BinLocator(double[] edges)
    {
        _edges = edges;
        // A span too wide for doubles (e.g. edges near ±1e308) cannot be gridded; binary search handles it.
        if (edges.Length < 2 || edges.Length > ushort.MaxValue || !double.IsFinite(edges[^1] - edges[0]))
        {
            _firstBin = [];
            _first = edges.Length >= 1 ? edges[0] : 0;
            _last = edges.Length >= 1 ? edges[^1] : 0;
            return;
        }

        _first = edges[0];
        _last = edges[^1];
        _cells = Math.Clamp(edges.Length * 2, 16, 8192);
        _cellsPerUnit = _cells / (_last - _first);
        var width = (_last - _first) / _cells;
        _firstBin = new ushort[_cells + 3];
        for (var k = 0; k < _firstBin.Length; k++)
        {
            // Entry k is the start of cell k - 1, clamped to the grid.
            var cell = Math.Clamp(k - 1, 0, _cells);
            _firstBin[k] = cell == _cells ? (ushort)edges.Length : (ushort)NumericSummary.BinOf(edges, _first + (cell * width));
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

        if (_firstBin.Length == 0)
        {
            return NumericSummary.BinOf(_edges, value);
        }

        var cell = Math.Min((int)((value - _first) * _cellsPerUnit), _cells - 1);
        int low = _firstBin[cell], high = _firstBin[cell + 3];
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
