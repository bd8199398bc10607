namespace Escala.Onnx.Explaining;

/// <summary>
/// Shapley weights of the games the tree explainers decompose a tree into. A leaf reached by the hybrid row only when
/// the features in A come from x and those in B from the background row has the game value·[A ⊆ S, B ∩ S = ∅]; its
/// Shapley value is +value·(|A|−1)!·|B|!/(|A|+|B|)! for each feature of A and −value·|A|!·(|B|−1)!/(|A|+|B|)! for each of B.
/// </summary>
internal static class ShapleyWeights
{
    private const int Max = 512;
    private static readonly double[] LogFactorial = BuildLogFactorials();

    /// <summary>a!·b!/(a+b+1)!, the weight of a coalition of a others out of a+b others.</summary>
    public static double Weight(int a, int b) =>
        a + b + 1 < Max ? Math.Exp(LogFactorial[a] + LogFactorial[b] - LogFactorial[a + b + 1]) : throw new ArgumentOutOfRangeException(nameof(a), "A path splits on too many features.");

    private static double[] BuildLogFactorials()
    {
        var table = new double[Max];
        for (var i = 1; i < Max; i++)
        {
            table[i] = table[i - 1] + Math.Log(i);
        }

        return table;
    }
}
