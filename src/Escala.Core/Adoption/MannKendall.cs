namespace Escala.Core.Adoption;

/// <summary>Which way a series goes, by <see cref="MannKendall"/>.</summary>
public enum Trend
{
    /// <summary>Too few points to test (fewer than four).</summary>
    Insufficient,

    /// <summary>No monotonic trend at the significance level.</summary>
    Stable,

    /// <summary>A significant upward trend.</summary>
    Growing,

    /// <summary>A significant downward trend.</summary>
    Declining,
}

/// <summary>The Mann-Kendall test's result: the statistic S, its normal score Z, the two-sided p-value and the verdict.</summary>
public sealed record TrendTest(int Points, long S, double Z, double PValue, Trend Trend);

/// <summary>
/// The Mann-Kendall trend test (Mann 1945, Kendall 1975): S = Σ_{i&lt;j} sign(x_j − x_i), variance
/// [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18 corrected for ties (t = size of each group of equal values),
/// Z = (S − sign(S)) / sqrt(Var S) with the continuity correction, p = 2(1 − Φ(|Z|)). Non-parametric: it asks
/// only whether later weeks tend to be higher than earlier ones, so one unusual week does not decide it.
/// </summary>
public static class MannKendall
{
    /// <summary>The significance level below which a trend is called growing or declining.</summary>
    public const double DefaultAlpha = 0.05;

    /// <summary>Tests <paramref name="series"/> (oldest first).</summary>
    public static TrendTest Test(IReadOnlyList<double> series, double alpha = DefaultAlpha)
    {
        ArgumentNullException.ThrowIfNull(series);
        var n = series.Count;
        if (n < 4)
        {
            return new TrendTest(n, 0, 0, 1, Trend.Insufficient);
        }

        long s = 0;
        for (var i = 0; i < n - 1; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                s += Math.Sign(series[j] - series[i]);
            }
        }

        var variance = n * (n - 1.0) * (2.0 * n + 5);
        foreach (var group in series.GroupBy(x => x))
        {
            double t = group.Count();
            variance -= t * (t - 1) * (2 * t + 5);
        }

        variance /= 18;
        var z = variance <= 0 || s == 0 ? 0 : (s - Math.Sign(s)) / Math.Sqrt(variance);
        var p = z == 0 ? 1 : 2 * (1 - NormalCdf(Math.Abs(z)));
        var trend = p < alpha ? (s > 0 ? Trend.Growing : Trend.Declining) : Trend.Stable;
        return new TrendTest(n, s, z, p, trend);
    }

    /// <summary>The standard normal distribution function Φ.</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    // Complementary error function, Numerical Recipes' Chebyshev fit (erfcc): fractional error below 1.2e-7 everywhere.
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var ans = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
            t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2 - ans;
    }
}
