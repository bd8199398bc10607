using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Escala.Core.Monitoring.Baselines;

/// <summary>
/// The reference distribution of a numeric column, kept as fine quantile bins so a window can be compared
/// with it from counts alone. Bin <c>i</c> holds the values <c>x</c> with exactly <c>i</c> edges below
/// <c>x</c>: <c>(-inf, e0]</c>, <c>(e0, e1]</c>, ..., <c>(e_last, +inf)</c>; so <see cref="Counts"/> has one
/// more entry than <see cref="Edges"/>.
/// </summary>
/// <param name="Min">Smallest value seen.</param>
/// <param name="Max">Largest value seen.</param>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="StdDev">Sample standard deviation (n - 1 in the denominator; 0 for one value).</param>
/// <param name="Edges">Strictly increasing bin edges (nearest-rank quantiles of the reference values).</param>
/// <param name="Counts">Reference values per bin.</param>
/// <param name="BinMeans">Mean of the reference values in each bin (the bin's edge when the bin is empty).</param>
public sealed record NumericSummary(
    double Min,
    double Max,
    double Mean,
    double StdDev,
    double[] Edges,
    long[] Counts,
    double[] BinMeans)
{
    /// <summary>Number of bins (edges + 1).</summary>
    public int BinCount => Counts.Length;

    /// <summary>The bin of <paramref name="value"/>: how many edges are strictly below it (binary search, no allocation).</summary>
    public static int BinOf(ReadOnlySpan<double> edges, double value)
    {
        // Branch-free halving (the JIT turns the conditional add into a cmov): request values are random, so a
        // branchy search mispredicts about half its steps, which cost more than the search itself.
        var length = edges.Length;
        if (length == 0)
        {
            return 0;
        }

        ref var first = ref MemoryMarshal.GetReference(edges);
        nint start = 0;
        while (length > 1)
        {
            var half = length >> 1;
            start = Unsafe.Add(ref first, start + half - 1) < value ? start + half : start;
            length -= half;
        }

        return (int)start + (Unsafe.Add(ref first, start) < value ? 1 : 0);
    }
}
