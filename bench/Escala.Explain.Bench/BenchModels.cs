using Escala.Onnx.Building;
using Escala.Onnx.Tensors;

namespace Escala.Explain.Bench;

/// <summary>The two models the issue names, made in code: a 500-tree ensemble and a 100-feature linear model.</summary>
internal static class BenchModels
{
    /// <summary>A gradient-boosting-like regressor: <paramref name="trees"/> trees of depth <paramref name="depth"/> over <paramref name="features"/> float features.</summary>
    public static byte[] Trees(int trees, int depth, int features, int seed)
    {
        var random = new Random(seed);
        var (treeIds, nodeIds, featureIds, modes, values, trues, falses) = (new List<long>(), new List<long>(), new List<long>(), new List<string>(), new List<float>(), new List<long>(), new List<long>());
        var (wTrees, wNodes, wIds, weights) = (new List<long>(), new List<long>(), new List<long>(), new List<float>());
        for (var t = 0; t < trees; t++)
        {
            var next = 0;
            Grow(t, 0);

            long Grow(int tree, int level)
            {
                var id = next++;
                var at = treeIds.Count;
                treeIds.Add(tree);
                nodeIds.Add(id);
                if (level == depth || (level > 2 && random.NextDouble() < 0.15))
                {
                    featureIds.Add(0);
                    modes.Add("LEAF");
                    values.Add(0);
                    trues.Add(0);
                    falses.Add(0);
                    wTrees.Add(tree);
                    wNodes.Add(id);
                    wIds.Add(0);
                    weights.Add((float)((random.NextDouble() - 0.5) * 0.2));
                    return id;
                }

                featureIds.Add(random.Next(features));
                modes.Add("BRANCH_LEQ");
                values.Add((float)((random.NextDouble() * 4) - 2));
                trues.Add(0);
                falses.Add(0);
                trues[at] = Grow(tree, level + 1);
                falses[at] = Grow(tree, level + 1);
                return id;
            }
        }

        return new OnnxModelBuilder("trees").Opset("", 17).Opset("ai.onnx.ml", 3)
            .Input("x", ElementType.Float, "N", features)
            .Output("y", ElementType.Float, "N", 1)
            .Node("TreeEnsembleRegressor", ["x"], ["y"], b => b
                .Ints("nodes_treeids", [.. treeIds]).Ints("nodes_nodeids", [.. nodeIds]).Ints("nodes_featureids", [.. featureIds])
                .Strings("nodes_modes", [.. modes]).Floats("nodes_values", [.. values])
                .Ints("nodes_truenodeids", [.. trues]).Ints("nodes_falsenodeids", [.. falses])
                .Ints("target_treeids", [.. wTrees]).Ints("target_nodeids", [.. wNodes]).Ints("target_ids", [.. wIds]).Floats("target_weights", [.. weights])
                .Int("n_targets", 1).Floats("base_values", 0.5f), domain: "ai.onnx.ml")
            .ToBytes();
    }

    /// <summary>A binary logistic regression over <paramref name="features"/> standardized features (Scaler then LinearClassifier).</summary>
    public static byte[] Linear(int features, int seed)
    {
        var random = new Random(seed);
        var coefficients = Enumerable.Range(0, features).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        return new OnnxModelBuilder("linear").Opset("", 17).Opset("ai.onnx.ml", 1)
            .Input("x", ElementType.Float, "N", features)
            .Output("label", ElementType.Int64, "N")
            .Output("probabilities", ElementType.Float, "N", 2)
            .Node("Scaler", ["x"], ["scaled"], b => b.Floats("offset", [.. Enumerable.Repeat(0.1f, features)]).Floats("scale", [.. Enumerable.Repeat(0.9f, features)]), domain: "ai.onnx.ml")
            .Node("LinearClassifier", ["scaled"], ["label", "probabilities"], b => b.Floats("coefficients", coefficients).Floats("intercepts", 0.2f)
                .Ints("classlabels_ints", 0, 1).String("post_transform", "LOGISTIC"), domain: "ai.onnx.ml")
            .ToBytes();
    }

    /// <summary>Rows of standard normal features.</summary>
    public static float[] Rows(int rows, int features, int seed)
    {
        var random = new Random(seed);
        var x = new float[rows * features];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        return x;
    }
}
