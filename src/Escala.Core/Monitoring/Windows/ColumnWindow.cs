using Escala.Core.Monitoring.Baselines;

namespace Escala.Core.Monitoring.Windows;

/// <summary>
/// What one window saw of one column, in the baseline's bins: a bounded summary whose size depends on the
/// baseline, never on traffic. Numeric: <see cref="Counts"/> per fine bin and <see cref="BinSums"/> (the sum
/// of the values in each bin). Categorical: <see cref="Counts"/> per kept category, then one "other" slot
/// (unseen or tail categories).
/// </summary>
/// <param name="Name">Column name.</param>
/// <param name="Kind">Numeric or categorical.</param>
/// <param name="Missing">Rows where the value was missing.</param>
/// <param name="Invalid">Rows where a numeric column got text or a non-finite number (not binned).</param>
/// <param name="Counts">Counts per bin or per category slot.</param>
/// <param name="BinSums">Numeric only: sum of the values per bin.</param>
/// <param name="SumOfSquares">Numeric only: sum of squared values.</param>
/// <param name="Min">Numeric only: smallest value (+infinity when none).</param>
/// <param name="Max">Numeric only: largest value (-infinity when none).</param>
public sealed record ColumnWindow(
    string Name,
    FeatureKind Kind,
    long Missing,
    long Invalid,
    long[] Counts,
    double[]? BinSums,
    double SumOfSquares,
    double Min,
    double Max)
{
    /// <summary>Values counted in bins or category slots.</summary>
    public long Present
    {
        get
        {
            long total = 0;
            foreach (var count in Counts)
            {
                total += count;
            }

            return total;
        }
    }

    /// <summary>Mean of the binned values (numeric), NaN when none.</summary>
    public double Mean
    {
        get
        {
            if (BinSums is null)
            {
                return double.NaN;
            }

            var n = Present;
            double sum = 0;
            foreach (var s in BinSums)
            {
                sum += s;
            }

            return n == 0 ? double.NaN : sum / n;
        }
    }

    /// <summary>Sample standard deviation of the binned values (numeric), NaN when fewer than two.</summary>
    public double StdDev
    {
        get
        {
            var n = Present;
            if (BinSums is null || n < 2)
            {
                return double.NaN;
            }

            var mean = Mean;
            var variance = (SumOfSquares - (n * mean * mean)) / (n - 1);
            return Math.Sqrt(Math.Max(variance, 0));
        }
    }

    /// <summary>Adds two summaries of the same column (windows of several gateway nodes, or consecutive windows).</summary>
    public static ColumnWindow Merge(ColumnWindow a, ColumnWindow b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Name != b.Name || a.Kind != b.Kind || a.Counts.Length != b.Counts.Length)
        {
            throw new ArgumentException($"Cannot merge windows of different columns or baselines ('{a.Name}' vs '{b.Name}').");
        }

        var counts = new long[a.Counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = a.Counts[i] + b.Counts[i];
        }

        double[]? sums = null;
        if (a.BinSums is not null && b.BinSums is not null)
        {
            sums = new double[a.BinSums.Length];
            for (var i = 0; i < sums.Length; i++)
            {
                sums[i] = a.BinSums[i] + b.BinSums[i];
            }
        }

        return new ColumnWindow(
            a.Name,
            a.Kind,
            a.Missing + b.Missing,
            a.Invalid + b.Invalid,
            counts,
            sums,
            a.SumOfSquares + b.SumOfSquares,
            Math.Min(a.Min, b.Min),
            Math.Max(a.Max, b.Max));
    }
}
