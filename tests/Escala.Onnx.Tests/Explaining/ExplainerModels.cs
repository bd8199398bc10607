using Escala.Onnx.Building;
using Escala.Onnx.Ml.Trees;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Explaining;

/// <summary>Small models written in code for the explainer tests, and hybrid rows to evaluate their games by brute force.</summary>
internal static class ExplainerModels
{
    /// <summary>A TreeEnsembleRegressor over one float input [N, features], with node cover when <paramref name="cover"/> is given.</summary>
    public static byte[] TreeRegressor(TreeNodeLists lists, int features, string aggregate = "SUM", double[]? cover = null, float baseValue = 0.5f) =>
        new OnnxModelBuilder().Opset("", 17).Opset("ai.onnx.ml", 3)
            .Input("x", ElementType.Float, new OnnxDim("N"), new OnnxDim(features))
            .Output("y", OnnxTypeInfo.Unknown)
            .Node("TreeEnsembleRegressor", ["x"], ["y"], b =>
            {
                TreeAttributes(b, lists, "target");
                b.String("aggregate_function", aggregate).Floats("base_values", baseValue).Int("n_targets", 1);
                if (cover is not null)
                {
                    b.Floats("nodes_hitrates", [.. cover.Select(c => (float)c)]);
                }
            }, domain: "ai.onnx.ml")
            .ToBytes();

    public static void TreeAttributes(OnnxNodeBuilder b, TreeNodeLists lists, string prefix) => b
        .Ints("nodes_treeids", [.. lists.TreeIds]).Ints("nodes_nodeids", [.. lists.NodeIds]).Ints("nodes_featureids", [.. lists.FeatureIds])
        .Strings("nodes_modes", [.. lists.Modes]).Floats("nodes_values", [.. lists.Values.Select(v => (float)v)])
        .Ints("nodes_missing_value_tracks_true", [.. lists.MissingTracksTrue])
        .Ints("nodes_truenodeids", [.. lists.TrueNodeIds]).Ints("nodes_falsenodeids", [.. lists.FalseNodeIds])
        .Ints($"{prefix}_treeids", [.. lists.WeightTreeIds]).Ints($"{prefix}_nodeids", [.. lists.WeightNodeIds])
        .Ints($"{prefix}_ids", [.. lists.WeightTargetIds]).Floats($"{prefix}_weights", [.. lists.Weights.Select(v => (float)v)]);

    /// <summary>
    /// Inputs <c>num</c> (float [N,2]) and <c>city</c> (int64 [N,1]): Scaler on num, OneHotEncoder of city over
    /// {10, 20, 30} reshaped to [N,3], concatenated into 5 columns, then <paramref name="scorer"/> on them.
    /// </summary>
    public static byte[] Pipeline(Action<OnnxModelBuilder> scorer) =>
        Pipeline(b => b, scorer);

    public static byte[] Pipeline(Func<OnnxModelBuilder, OnnxModelBuilder> extra, Action<OnnxModelBuilder> scorer)
    {
        var builder = new OnnxModelBuilder().Opset("", 17).Opset("ai.onnx.ml", 3)
            .Input("num", ElementType.Float, new OnnxDim("N"), new OnnxDim(2))
            .Input("city", ElementType.Int64, new OnnxDim("N"), new OnnxDim(1))
            .Initializer<long>("shape", [-1, 3], 2)
            .Node("Scaler", ["num"], ["scaled"], b => b.Floats("offset", 1f, -2f).Floats("scale", 0.5f, 2f), domain: "ai.onnx.ml")
            .Node("OneHotEncoder", ["city"], ["hot"], b => b.Ints("cats_int64s", 10, 20, 30).Int("zeros", 1), domain: "ai.onnx.ml")
            .Node("Reshape", ["hot", "shape"], ["hot2"])
            .Node("Concat", ["scaled", "hot2"], ["features"], b => b.Int("axis", 1));
        scorer(extra(builder));
        return builder.ToBytes();
    }

    /// <summary>Rows for <see cref="Pipeline(Action{OnnxModelBuilder})"/>.</summary>
    public static Dictionary<string, OnnxValue> PipelineRows(float[] num, long[] city) => new()
    {
        ["num"] = new OnnxTensor<float>(num, city.Length, 2),
        ["city"] = new OnnxTensor<long>(city, city.Length, 1),
    };

    /// <summary>
    /// The interventional game of one row by brute force on the served model: v(S) = mean over background rows z of
    /// output(x_S, z_S̄), every hybrid scored by the engine in one batch. Features are the inputs' columns in order.
    /// </summary>
    public static Func<int, double> InterventionalGame(
        InferenceSession session, IReadOnlyDictionary<string, OnnxValue> x, int row, IReadOnlyDictionary<string, OnnxValue> background, int backgroundRows,
        string output, int column)
    {
        var inputs = session.Inputs.Select(i => i.Name).ToArray();
        var widths = inputs.Select(n => ((OnnxTensor)x[n]).Length / ((OnnxTensor)x[n]).Dim(0)).ToArray();
        var players = widths.Sum();
        var coalitions = 1 << players;
        var count = coalitions * backgroundRows;
        var feeds = new Dictionary<string, OnnxValue>();
        var offset = 0;
        for (var i = 0; i < inputs.Length; i++)
        {
            var shape = ((OnnxTensor)x[inputs[i]]).ShapeArray();
            shape[0] = count;
            feeds[inputs[i]] = (x[inputs[i]], background[inputs[i]]) switch
            {
                (OnnxTensor<float> a, OnnxTensor<float> b) => Hybrid(a, b, widths[i], offset, row, coalitions, backgroundRows, shape),
                (OnnxTensor<long> a, OnnxTensor<long> b) => Hybrid(a, b, widths[i], offset, row, coalitions, backgroundRows, shape),
                (OnnxTensor<string> a, OnnxTensor<string> b) => Hybrid(a, b, widths[i], offset, row, coalitions, backgroundRows, shape),
                _ => throw new NotSupportedException(),
            };
            offset += widths[i];
        }

        var result = (OnnxTensor<float>)session.Run(feeds)[output];
        var width = result.Length / count;
        return s =>
        {
            var sum = 0.0;
            for (var z = 0; z < backgroundRows; z++)
            {
                sum += result[(((s * backgroundRows) + z) * width) + column];
            }

            return sum / backgroundRows;
        };
    }

    private static OnnxTensor<T> Hybrid<T>(OnnxTensor<T> x, OnnxTensor<T> z, int width, int offset, int row, int coalitions, int backgroundRows, int[] shape)
    {
        var data = new T[coalitions * backgroundRows * width];
        for (var s = 0; s < coalitions; s++)
        {
            for (var b = 0; b < backgroundRows; b++)
            {
                for (var j = 0; j < width; j++)
                {
                    var fromX = (s & (1 << (offset + j))) != 0;
                    data[(((s * backgroundRows) + b) * width) + j] = fromX ? x[(row * width) + j] : z[(b * width) + j];
                }
            }
        }

        return new OnnxTensor<T>(data, shape);
    }
}
