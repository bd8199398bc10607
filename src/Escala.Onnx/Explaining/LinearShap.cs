namespace Escala.Onnx.Explaining;

/// <summary>
/// Exact interventional SHAP of a linear margin: with margin_q(x') = Σⱼ W[q,j]·x'ⱼ + b_q and features moving their
/// columns together, φ_{q,i} = Σ_{j fed by i} W[q,j]·(x'ⱼ − mean over the background of x'ⱼ) and the expected value
/// is the background's mean margin (REFERENCES.md; shap's LinearExplainer, interventional).
/// </summary>
internal sealed class LinearShap
{
    private readonly LinearScoring _scoring;
    private readonly int[] _groupOf;
    private readonly int _groups;
    private readonly double[] _mean;
    private readonly double[] _expected;

    public LinearShap(LinearScoring scoring, int[] groupOf, int groups, double[] background, int backgroundRows)
    {
        _scoring = scoring;
        _groupOf = groupOf;
        _groups = groups;
        var width = scoring.Features;
        _mean = new double[width];
        for (var b = 0; b < backgroundRows; b++)
        {
            for (var j = 0; j < width; j++)
            {
                _mean[j] += background[(b * width) + j];
            }
        }

        for (var j = 0; j < width; j++)
        {
            _mean[j] /= backgroundRows;
        }

        _expected = new double[scoring.Quantities.Count];
        Margins(_mean, _expected);
    }

    /// <summary>The mean margin over the background (a linear form's mean is its value at the mean).</summary>
    public IReadOnlyList<double> ExpectedValues => _expected;

    public void Margins(ReadOnlySpan<double> row, Span<double> margins)
    {
        var width = _scoring.Features;
        for (var q = 0; q < margins.Length; q++)
        {
            var sum = _scoring.Bias[q];
            for (var j = 0; j < width; j++)
            {
                sum += _scoring.Weights[(q * width) + j] * row[j];
            }

            margins[q] = sum;
        }
    }

    /// <summary>Adds the attributions of <paramref name="x"/> to <paramref name="phi"/> (quantities × groups).</summary>
    public void Explain(ReadOnlySpan<double> x, double[] phi)
    {
        var width = _scoring.Features;
        for (var q = 0; q < _expected.Length; q++)
        {
            for (var j = 0; j < width; j++)
            {
                var group = _groupOf[j];
                if (group >= 0)
                {
                    phi[(q * _groups) + group] += _scoring.Weights[(q * width) + j] * (x[j] - _mean[j]);
                }
            }
        }
    }
}
