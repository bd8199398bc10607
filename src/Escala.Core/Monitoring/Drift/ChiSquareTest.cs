namespace Escala.Core.Monitoring.Drift;

/// <summary>A chi-square test result.</summary>
/// <param name="Statistic">Pearson's X² statistic.</param>
/// <param name="DegreesOfFreedom">Columns used minus one.</param>
/// <param name="PValue">P(χ²(df) &gt; X²).</param>
public readonly record struct ChiSquareResult(double Statistic, int DegreesOfFreedom, double PValue);

/// <summary>Pearson's chi-square test of homogeneity on a 2 x K table (reference counts vs current counts), without continuity correction.</summary>
public static class ChiSquareTest
{
    /// <summary>
    /// X² = Σ (O - E)²/E over both rows, with E = row total x column total / grand total; columns empty in both
    /// rows are dropped; df = (used columns - 1). Returns p = 1 when there is nothing to compare.
    /// </summary>
    public static ChiSquareResult Homogeneity(ReadOnlySpan<long> a, ReadOnlySpan<long> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Columns differ: {a.Length} vs {b.Length}.");
        }

        double ta = 0, tb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            ta += a[i];
            tb += b[i];
        }

        var total = ta + tb;
        double statistic = 0;
        var used = 0;
        for (var i = 0; i < a.Length; i++)
        {
            double column = a[i] + b[i];
            if (column == 0)
            {
                continue;
            }

            used++;
            var ea = ta * column / total;
            var eb = tb * column / total;
            statistic += ((a[i] - ea) * (a[i] - ea) / ea) + ((b[i] - eb) * (b[i] - eb) / eb);
        }

        if (ta == 0 || tb == 0 || used < 2)
        {
            return new ChiSquareResult(0, Math.Max(used - 1, 0), 1);
        }

        return new ChiSquareResult(statistic, used - 1, ChiSquareDistribution.Survival(statistic, used - 1));
    }
}
