namespace Escala.Onnx.Explaining;

/// <summary>
/// Permutation-sampling estimate of interventional Shapley values (Štrumbelj and Kononenko 2014) for any model the
/// engine runs: each sample draws a feature order and a background row z, walks from z to x switching one feature at
/// a time, and credits each feature with the change of the output. The mean over samples is unbiased; its standard
/// error is the samples' standard deviation over √samples. Background rows are used in turn (shuffled), so with as
/// many samples as background rows the expected value is the background's exact mean and expected value + Σφ equals
/// the output exactly; the attributions themselves remain estimates.
/// </summary>
internal sealed class SamplingShapley(InferenceSession session, int permutations, int seed)
{
    /// <summary>Permutations evaluated per model run (bounds the batch at this × (features + 1) rows).</summary>
    private const int PermutationsPerRun = 32;

    public (double[] Phi, double[] StandardErrors, double[] Expected, double[] Output) Explain(
        InputRows x, int row, InputRows background, IReadOnlyList<ScoredQuantity> quantities)
    {
        var m = x.Features.Count;
        var q = quantities.Count;
        var random = new Random(unchecked((seed * 397) ^ row));
        var order = Enumerable.Range(0, background.Rows).ToArray();
        random.Shuffle(order);
        var sum = new double[q * m];
        var sumSquares = new double[q * m];
        var expected = new double[q];
        var output = new double[q];
        var permutation = Enumerable.Range(0, m).ToArray();
        for (var first = 0; first < permutations; first += PermutationsPerRun)
        {
            var count = Math.Min(PermutationsPerRun, permutations - first);
            var rows = count * (m + 1);
            var xRow = new int[rows];
            var zRow = new int[rows];
            var fromX = new bool[rows * m];
            var orders = new int[count][];
            for (var p = 0; p < count; p++)
            {
                random.Shuffle(permutation);
                orders[p] = (int[])permutation.Clone();
                var z = order[(first + p) % order.Length];
                for (var k = 0; k <= m; k++)
                {
                    var r = (p * (m + 1)) + k;
                    xRow[r] = row;
                    zRow[r] = z;
                    for (var s = 0; s < k; s++)
                    {
                        fromX[(r * m) + permutation[s]] = true;
                    }
                }
            }

            var values = new double[rows * q];
            OutputColumns.Read(quantities, session.Run(InputRows.Compose(x, background, rows, xRow, zRow, fromX)), rows, values);
            for (var p = 0; p < count; p++)
            {
                var baseRow = p * (m + 1);
                for (var c = 0; c < q; c++)
                {
                    expected[c] += values[(baseRow * q) + c];
                    output[c] = values[((baseRow + m) * q) + c];
                    for (var k = 0; k < m; k++)
                    {
                        var delta = values[((baseRow + k + 1) * q) + c] - values[((baseRow + k) * q) + c];
                        var at = (c * m) + orders[p][k];
                        sum[at] += delta;
                        sumSquares[at] += delta * delta;
                    }
                }
            }
        }

        var phi = new double[q * m];
        var errors = new double[q * m];
        for (var i = 0; i < phi.Length; i++)
        {
            var mean = sum[i] / permutations;
            phi[i] = mean;
            var variance = permutations > 1 ? Math.Max(0, (sumSquares[i] - (permutations * mean * mean)) / (permutations - 1)) : 0;
            errors[i] = Math.Sqrt(variance / permutations);
        }

        for (var c = 0; c < q; c++)
        {
            expected[c] /= permutations;
        }

        return (phi, errors, expected, output);
    }
}
