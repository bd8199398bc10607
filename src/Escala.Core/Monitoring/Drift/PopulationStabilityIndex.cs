namespace Escala.Core.Monitoring.Drift;

/// <summary>
/// Population Stability Index between a reference and a current distribution over the same bins:
/// PSI = Σ (aᵢ - eᵢ)·ln(aᵢ/eᵢ), with eᵢ and aᵢ the bin proportions. An empty bin's proportion is raised to
/// <see cref="Epsilon"/> (not renormalised) so one empty bin gives a large but finite value.
/// </summary>
public static class PopulationStabilityIndex
{
    /// <summary>Floor for an empty bin's proportion.</summary>
    public const double Epsilon = 1e-4;

    /// <summary>PSI from bin counts; both spans must use the same bins. Zero when either side is empty.</summary>
    public static double Compute(ReadOnlySpan<long> expected, ReadOnlySpan<long> actual)
    {
        if (expected.Length != actual.Length)
        {
            throw new ArgumentException($"Bins differ: {expected.Length} reference bins, {actual.Length} current bins.");
        }

        double e = 0, a = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            e += expected[i];
            a += actual[i];
        }

        if (e == 0 || a == 0)
        {
            return 0;
        }

        double psi = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] == 0 && actual[i] == 0)
            {
                continue;
            }

            var pe = Math.Max(expected[i] / e, Epsilon);
            var pa = Math.Max(actual[i] / a, Epsilon);
            psi += (pa - pe) * Math.Log(pa / pe);
        }

        return psi;
    }
}
