namespace Escala.Onnx.Tests.Explaining;

/// <summary>Exact Shapley values by enumerating every coalition: φᵢ = Σ_{S ⊆ N∖{i}} |S|!(M−|S|−1)!/M! · (v(S ∪ {i}) − v(S)).</summary>
internal static class BruteForceShapley
{
    /// <summary>The Shapley values of the game <paramref name="value"/> (a coalition is a bit mask over <paramref name="players"/>).</summary>
    public static double[] Values(int players, Func<int, double> value)
    {
        var v = new double[1 << players];
        for (var s = 0; s < v.Length; s++)
        {
            v[s] = value(s);
        }

        var phi = new double[players];
        for (var i = 0; i < players; i++)
        {
            for (var s = 0; s < v.Length; s++)
            {
                if ((s & (1 << i)) != 0)
                {
                    continue;
                }

                var size = System.Numerics.BitOperations.PopCount((uint)s);
                phi[i] += Factorial(size) * Factorial(players - size - 1) / Factorial(players) * (v[s | (1 << i)] - v[s]);
            }
        }

        return phi;
    }

    private static double Factorial(int n)
    {
        var f = 1.0;
        for (var k = 2; k <= n; k++)
        {
            f *= k;
        }

        return f;
    }
}
