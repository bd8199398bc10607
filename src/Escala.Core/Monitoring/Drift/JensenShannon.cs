namespace Escala.Core.Monitoring.Drift;

/// <summary>
/// Jensen-Shannon distance √((KL(p‖m) + KL(q‖m))/2) with m = (p + q)/2, as scipy's
/// <c>spatial.distance.jensenshannon</c>. In base 2 (the default here) it lies in [0, 1]. Inputs are normalised.
/// </summary>
public static class JensenShannon
{
    /// <summary>The distance between two (unnormalised) probability vectors over the same bins.</summary>
    public static double Distance(ReadOnlySpan<double> p, ReadOnlySpan<double> q, double logBase = 2)
    {
        if (p.Length != q.Length)
        {
            throw new ArgumentException($"Bins differ: {p.Length} vs {q.Length}.");
        }

        double sp = 0, sq = 0;
        for (var i = 0; i < p.Length; i++)
        {
            sp += p[i];
            sq += q[i];
        }

        if (sp <= 0 || sq <= 0)
        {
            return 0;
        }

        double divergence = 0;
        for (var i = 0; i < p.Length; i++)
        {
            var pi = p[i] / sp;
            var qi = q[i] / sq;
            var mi = (pi + qi) / 2;
            if (pi > 0)
            {
                divergence += pi * Math.Log(pi / mi);
            }

            if (qi > 0)
            {
                divergence += qi * Math.Log(qi / mi);
            }
        }

        // Rounding can leave a tiny negative divergence for identical inputs.
        return Math.Sqrt(Math.Max(divergence / 2 / Math.Log(logBase), 0));
    }

    /// <summary>The distance between two count vectors over the same bins.</summary>
    public static double Distance(ReadOnlySpan<long> p, ReadOnlySpan<long> q, double logBase = 2)
    {
        var pd = new double[p.Length];
        var qd = new double[q.Length];
        for (var i = 0; i < pd.Length; i++)
        {
            pd[i] = p[i];
        }

        for (var i = 0; i < qd.Length; i++)
        {
            qd[i] = q[i];
        }

        return Distance(pd, qd, logBase);
    }
}
