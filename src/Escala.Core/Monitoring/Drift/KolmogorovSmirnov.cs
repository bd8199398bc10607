namespace Escala.Core.Monitoring.Drift;

/// <summary>A two-sample Kolmogorov-Smirnov result.</summary>
/// <param name="Statistic">D = sup |F₁ - F₂|.</param>
/// <param name="PValue">Asymptotic p-value Q(√(n·m/(n+m))·D).</param>
/// <param name="N">Size of the first sample.</param>
/// <param name="M">Size of the second sample.</param>
public readonly record struct KsResult(double Statistic, double PValue, long N, long M);

/// <summary>
/// Two-sample Kolmogorov-Smirnov: from raw samples (exact D), or from counts in shared ordered bins, where
/// D is evaluated at the bin edges only. Then D_bins ≤ D_exact ≤ D_bins + maxᵢ min(pᵢ, qᵢ) (pᵢ, qᵢ the bins'
/// proportions): the exact value is reached when each bin holds a single distinct value.
/// </summary>
public static class KolmogorovSmirnov
{
    /// <summary>KS from counts in the same ordered bins.</summary>
    public static KsResult FromCounts(ReadOnlySpan<long> a, ReadOnlySpan<long> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Bins differ: {a.Length} vs {b.Length}.");
        }

        long n = 0, m = 0;
        for (var i = 0; i < a.Length; i++)
        {
            n += a[i];
            m += b[i];
        }

        if (n == 0 || m == 0)
        {
            return new KsResult(0, 1, n, m);
        }

        long ca = 0, cb = 0;
        double d = 0;
        for (var i = 0; i < a.Length; i++)
        {
            ca += a[i];
            cb += b[i];
            d = Math.Max(d, Math.Abs(((double)ca / n) - ((double)cb / m)));
        }

        return new KsResult(d, PValue(d, n, m), n, m);
    }

    /// <summary>KS from raw samples (sorted copies; exact D, asymptotic p-value).</summary>
    public static KsResult FromSamples(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var x = a.ToArray();
        var y = b.ToArray();
        Array.Sort(x);
        Array.Sort(y);
        int n = x.Length, m = y.Length;
        if (n == 0 || m == 0)
        {
            return new KsResult(0, 1, n, m);
        }

        int i = 0, j = 0;
        double d = 0;
        while (i < n && j < m)
        {
            // Step past every copy of the next value in both samples before comparing (ties).
            var v = Math.Min(x[i], y[j]);
            while (i < n && x[i] == v)
            {
                i++;
            }

            while (j < m && y[j] == v)
            {
                j++;
            }

            d = Math.Max(d, Math.Abs(((double)i / n) - ((double)j / m)));
        }

        return new KsResult(d, PValue(d, n, m), n, m);
    }

    /// <summary>The asymptotic p-value of statistic <paramref name="d"/> for samples of sizes <paramref name="n"/> and <paramref name="m"/>.</summary>
    public static double PValue(double d, long n, long m)
    {
        if (n <= 0 || m <= 0)
        {
            return 1;
        }

        var effective = (double)n * m / (n + m);
        return KolmogorovDistribution.Survival(Math.Sqrt(effective) * d);
    }
}
