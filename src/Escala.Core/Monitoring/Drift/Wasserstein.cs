namespace Escala.Core.Monitoring.Drift;

/// <summary>
/// First Wasserstein (earth mover's) distance between two one-dimensional distributions, ∫|F₁ - F₂| dx,
/// for weighted point masses (raw samples have weight 1 each). From bins, each bin's mass sits at the mean of
/// its values, which is exact when a bin holds one distinct value and otherwise off by at most
/// Σᵢ wᵢ·(pᵢ + qᵢ)/2 (wᵢ the spread of the values in bin i).
/// </summary>
public static class Wasserstein
{
    /// <summary>W₁ between weighted point masses (any order; weights are normalised per side).</summary>
    public static double Distance(
        ReadOnlySpan<double> aPositions,
        ReadOnlySpan<double> aWeights,
        ReadOnlySpan<double> bPositions,
        ReadOnlySpan<double> bWeights)
    {
        if (aPositions.Length != aWeights.Length || bPositions.Length != bWeights.Length)
        {
            throw new ArgumentException("Each position needs a weight.");
        }

        double wa = 0, wb = 0;
        foreach (var w in aWeights)
        {
            wa += w;
        }

        foreach (var w in bWeights)
        {
            wb += w;
        }

        if (wa <= 0 || wb <= 0)
        {
            return 0;
        }

        // Signed masses: +a/|a|, -b/|b|; the running sum between consecutive positions is F₁ - F₂.
        var count = aPositions.Length + bPositions.Length;
        var positions = new double[count];
        var masses = new double[count];
        for (var i = 0; i < aPositions.Length; i++)
        {
            positions[i] = aPositions[i];
            masses[i] = aWeights[i] / wa;
        }

        for (var i = 0; i < bPositions.Length; i++)
        {
            positions[aPositions.Length + i] = bPositions[i];
            masses[aPositions.Length + i] = -bWeights[i] / wb;
        }

        Array.Sort(positions, masses);
        double distance = 0, cumulative = 0;
        for (var i = 0; i < count - 1; i++)
        {
            cumulative += masses[i];
            distance += Math.Abs(cumulative) * (positions[i + 1] - positions[i]);
        }

        return distance;
    }

    /// <summary>W₁ between two raw samples.</summary>
    public static double FromSamples(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var ones = new double[Math.Max(a.Length, b.Length)];
        Array.Fill(ones, 1.0);
        return Distance(a, ones.AsSpan(0, a.Length), b, ones.AsSpan(0, b.Length));
    }
}
