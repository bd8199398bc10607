namespace Escala.Core.Monitoring.Drift;

/// <summary>
/// The limiting distribution of sqrt(n)·D (Kolmogorov 1933), used for the asymptotic two-sample KS p-value
/// as R's <c>ks.test(exact = FALSE)</c> does: p = Q(sqrt(n·m/(n+m))·D).
/// </summary>
public static class KolmogorovDistribution
{
    /// <summary>
    /// Q(λ) = P(K &gt; λ) = 2 Σ_{k≥1} (-1)^(k-1) exp(-2k²λ²). For λ &lt; 1 the equivalent Jacobi-theta form
    /// 1 - (√(2π)/λ) Σ_{k≥1} exp(-(2k-1)²π²/(8λ²)) is used instead, because the alternating series converges slowly there.
    /// Accurate to about 1e-15 absolute for every λ.
    /// </summary>
    public static double Survival(double lambda)
    {
        if (double.IsNaN(lambda))
        {
            return double.NaN;
        }

        if (lambda <= 0)
        {
            return 1;
        }

        if (lambda < 1)
        {
            var factor = -Math.PI * Math.PI / (8 * lambda * lambda);
            double cdf = 0;
            for (var k = 1; k < 100; k++)
            {
                var odd = (2 * k) - 1;
                var term = Math.Exp(factor * odd * odd);
                cdf += term;
                if (term < 1e-17 * cdf)
                {
                    break;
                }
            }

            return 1 - (Math.Sqrt(2 * Math.PI) / lambda * cdf);
        }

        double sum = 0;
        var sign = 1.0;
        for (var k = 1; k < 100; k++)
        {
            var term = Math.Exp(-2.0 * k * k * lambda * lambda);
            sum += sign * term;
            if (term < 1e-17)
            {
                break;
            }

            sign = -sign;
        }

        return Math.Clamp(2 * sum, 0, 1);
    }
}
