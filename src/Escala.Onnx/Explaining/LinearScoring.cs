using Escala.Onnx.Protobuf;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Explaining;

/// <summary>
/// A linear scoring node as <c>margin_q = Σⱼ W[q, j]·x'ⱼ + b_q</c>: LinearClassifier (one row of coefficients per
/// class; a single row is the binary model's class-1 score), LinearRegressor (one row per target), or Gemm with
/// constant B and C (<c>alpha·A·B + beta·C</c>, A not transposed).
/// </summary>
internal sealed class LinearScoring : ScoringModel
{
    private LinearScoring(NodeProto node, IReadOnlyList<ScoredQuantity> quantities, double[] weights, double[] bias, int features)
        : base(node, quantities)
    {
        Weights = weights;
        Bias = bias;
        Features = features;
    }

    /// <summary>Quantities × features, row-major.</summary>
    public double[] Weights { get; }

    /// <summary>One intercept per quantity.</summary>
    public double[] Bias { get; }

    /// <summary>Columns of the feature vector.</summary>
    public int Features { get; }

    public static LinearScoring? Read(NodeProto node, GraphProto graph, out string reason)
    {
        var a = new NodeAttributeReader(node);
        reason = "";
        switch (node.OpType)
        {
            case "LinearClassifier":
            {
                var coefficients = a.Floats("coefficients") ?? throw new FormatException("coefficients is missing");
                var intercepts = a.Floats("intercepts") ?? [];
                var labels = ClassLabels(a, "classlabels_ints", "classlabels_strings");
                var rows = intercepts.Length > 0 ? intercepts.Length : throw new FormatException("without intercepts the number of classes is not known");
                if (rows == 0 || coefficients.Length % rows != 0)
                {
                    throw new FormatException($"{coefficients.Length} coefficients do not split into {rows} classes");
                }

                // One row of coefficients is the binary model: its score is class 1's (the second label).
                var quantities = rows == 1
                    ? new[] { new ScoredQuantity(node.Output[1], labels.ElementAtOrDefault(1), 1) }
                    : [.. Enumerable.Range(0, rows).Select(k => new ScoredQuantity(node.Output[1], labels.ElementAtOrDefault(k), k))];
                return new LinearScoring(node, quantities, coefficients, Pad(intercepts, rows), coefficients.Length / rows);
            }

            case "LinearRegressor":
            {
                var coefficients = a.Floats("coefficients") ?? throw new FormatException("coefficients is missing");
                var targets = (int)a.Int("targets", 1);
                if (targets < 1 || coefficients.Length % targets != 0)
                {
                    throw new FormatException($"targets = {targets} does not divide the {coefficients.Length} coefficients");
                }

                var quantities = Enumerable.Range(0, targets).Select(k => new ScoredQuantity(node.Output[0], null, k)).ToArray();
                return new LinearScoring(node, quantities, coefficients, Pad(a.Floats("intercepts") ?? [], targets), coefficients.Length / targets);
            }

            default:
                return ReadGemm(node, graph, a, out reason);
        }
    }

    private static LinearScoring? ReadGemm(NodeProto node, GraphProto graph, NodeAttributeReader a, out string reason)
    {
        reason = "";
        if (a.Int("transA", 0) != 0)
        {
            reason = "its Gemm transposes the features (transA)";
            return null;
        }

        if (node.Input.Count < 2 || Constant(graph, node.Input[1]) is not { } b || b.Rank != 2)
        {
            reason = "its Gemm multiplies by a value that is not a constant matrix";
            return null;
        }

        var transB = a.Int("transB", 0) != 0;
        var alpha = a.Float("alpha", 1f);
        var beta = a.Float("beta", 1f);
        var (k, n) = transB ? (b.Dim(1), b.Dim(0)) : (b.Dim(0), b.Dim(1));
        var bValues = Doubles(b);
        var weights = new double[n * k];
        for (var q = 0; q < n; q++)
        {
            for (var j = 0; j < k; j++)
            {
                weights[(q * k) + j] = alpha * (transB ? bValues[(q * k) + j] : bValues[(j * n) + q]);
            }
        }

        var bias = new double[n];
        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            if (Constant(graph, node.Input[2]) is not { } c || (c.Length != 1 && c.Length != n) || (c.Rank == 2 && c.Dim(0) != 1))
            {
                reason = "its Gemm adds a bias that is not a constant per output column";
                return null;
            }

            var cValues = Doubles(c);
            for (var q = 0; q < n; q++)
            {
                bias[q] = beta * cValues[c.Length == 1 ? 0 : q];
            }
        }

        var quantities = Enumerable.Range(0, n).Select(q => new ScoredQuantity(node.Output[0], null, q)).ToArray();
        return new LinearScoring(node, quantities, weights, bias, k);
    }

    private static OnnxTensor? Constant(GraphProto graph, string name) =>
        graph.Initializer.Find(t => t.Name == name) is { } proto ? TensorProtoConverter.ToTensor(proto) : null;

    private static double[] Doubles(OnnxTensor tensor) => tensor switch
    {
        OnnxTensor<float> f => [.. f.ToArray().Select(v => (double)v)],
        OnnxTensor<double> d => d.ToArray(),
        _ => throw new FormatException($"a Gemm constant of type {tensor} is not float or double"),
    };

    private static double[] Pad(double[] intercepts, int count) => intercepts.Length == count ? intercepts : new double[count];
}
