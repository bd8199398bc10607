using MathNet.Numerics;

namespace Escala.Core.Monitoring.Drift;

/// <summary>The chi-square distribution's upper tail, for chi-square test p-values.</summary>
public static class ChiSquareDistribution
{
    /// <summary>P(X &gt; <paramref name="x"/>) for <paramref name="degreesOfFreedom"/> degrees of freedom: the regularized upper incomplete gamma Q(df/2, x/2).</summary>
    public static double Survival(double x, int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        return x <= 0 ? 1 : SpecialFunctions.GammaUpperRegularized(degreesOfFreedom / 2.0, x / 2.0);
    }
}
