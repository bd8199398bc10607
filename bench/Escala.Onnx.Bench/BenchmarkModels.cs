using Escala.Onnx.Building;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Bench;

/// <summary>A model to time: its file and what it is.</summary>
internal sealed record BenchmarkModel(string Name, string Path, string Kind, string Description, bool FixedBatch)
{
    /// <summary>Sizes of dynamic dims other than the batch (<c>input:axis=size</c>), passed to the tool as <c>--dim</c>.</summary>
    public IReadOnlyList<string> Dims { get; init; } = [];
}

/// <summary>
/// The synthetic benchmark models, made in code with the engine's builder and written as ordinary ONNX files so ONNX
/// Runtime reads exactly the same bytes. Seeded: every run builds the same models.
/// </summary>
internal static class BenchmarkModels
{
    public const int TreeFeatures = 30;
    public const int TreeDepth = 8;

    public static IEnumerable<BenchmarkModel> Write(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var trees in new[] { 100, 500 })
        {
            yield return Save(folder, $"trees{trees}_regressor", "tree ensemble", $"TreeEnsembleRegressor, {trees} trees of depth {TreeDepth}, {TreeFeatures} features", Trees(trees, classifier: false));
            yield return Save(folder, $"trees{trees}_classifier", "tree ensemble", $"TreeEnsembleClassifier, {trees} trees of depth {TreeDepth}, {TreeFeatures} features, 3 classes, SOFTMAX", Trees(trees, classifier: true));
        }

        yield return Save(folder, "logistic_regression", "linear", "LinearClassifier (LOGISTIC) + Normalizer (L1), 100 features, binary, as skl2onnx writes it", LogisticRegression(100));
        yield return Save(folder, "mlp_64_128_64_2", "mlp", "Gemm 64-128 + Relu, Gemm 128-64 + Relu, Gemm 64-2 + Softmax", Mlp());
    }

    private static BenchmarkModel Save(string folder, string name, string kind, string description, byte[] bytes)
    {
        var path = System.IO.Path.Combine(folder, name + ".onnx");
        File.WriteAllBytes(path, bytes);
        return new BenchmarkModel(name, path, kind, description, FixedBatch: false);
    }

    /// <summary>
    /// Complete trees of depth 8 with random splits: a random feature and a threshold drawn like the inputs (standard
    /// normal), so rows spread over all leaves. The regressor sums one value per leaf; the classifier's trees each vote
    /// for one class (tree t for class t mod 3), as gradient boosting exports do.
    /// </summary>
    private static byte[] Trees(int treeCount, bool classifier)
    {
        var random = new Random(20261121 + treeCount + (classifier ? 1 : 0));
        var treeIds = new List<long>();
        var nodeIds = new List<long>();
        var featureIds = new List<long>();
        var modes = new List<string>();
        var values = new List<float>();
        var trueIds = new List<long>();
        var falseIds = new List<long>();
        var voteTrees = new List<long>();
        var voteNodes = new List<long>();
        var voteTargets = new List<long>();
        var weights = new List<float>();
        const int internalNodes = (1 << TreeDepth) - 1;
        for (var t = 0; t < treeCount; t++)
        {
            // Breadth-first numbering: children of node i are 2i+1 and 2i+2.
            for (var i = 0; i < (2 * internalNodes) + 1; i++)
            {
                treeIds.Add(t);
                nodeIds.Add(i);
                if (i < internalNodes)
                {
                    featureIds.Add(random.Next(TreeFeatures));
                    modes.Add("BRANCH_LEQ");
                    values.Add((float)Normal(random));
                    trueIds.Add((2 * i) + 1);
                    falseIds.Add((2 * i) + 2);
                }
                else
                {
                    featureIds.Add(0);
                    modes.Add("LEAF");
                    values.Add(0);
                    trueIds.Add(0);
                    falseIds.Add(0);
                    voteTrees.Add(t);
                    voteNodes.Add(i);
                    voteTargets.Add(classifier ? t % 3 : 0);
                    weights.Add((float)((random.NextDouble() - 0.5) * 0.2));
                }
            }
        }

        var builder = new OnnxModelBuilder().Opset("", 17).Opset("ai.onnx.ml", 3).Producer("escala-bench")
            .Input("X", ElementType.Float, "N", TreeFeatures);
        if (classifier)
        {
            builder.Output("label", ElementType.Int64, "N").Output("probabilities", ElementType.Float, "N", 3)
                .Node("TreeEnsembleClassifier", ["X"], ["label", "probabilities"], b => b
                    .Ints("nodes_treeids", [.. treeIds]).Ints("nodes_nodeids", [.. nodeIds]).Ints("nodes_featureids", [.. featureIds])
                    .Strings("nodes_modes", [.. modes]).Floats("nodes_values", [.. values])
                    .Ints("nodes_truenodeids", [.. trueIds]).Ints("nodes_falsenodeids", [.. falseIds])
                    .Ints("class_treeids", [.. voteTrees]).Ints("class_nodeids", [.. voteNodes]).Ints("class_ids", [.. voteTargets])
                    .Floats("class_weights", [.. weights]).Ints("classlabels_int64s", 0, 1, 2)
                    .Floats("base_values", -1.1f, -1.0f, -1.2f).String("post_transform", "SOFTMAX"), domain: "ai.onnx.ml");
        }
        else
        {
            builder.Output("variable", ElementType.Float, "N", 1)
                .Node("TreeEnsembleRegressor", ["X"], ["variable"], b => b
                    .Ints("nodes_treeids", [.. treeIds]).Ints("nodes_nodeids", [.. nodeIds]).Ints("nodes_featureids", [.. featureIds])
                    .Strings("nodes_modes", [.. modes]).Floats("nodes_values", [.. values])
                    .Ints("nodes_truenodeids", [.. trueIds]).Ints("nodes_falsenodeids", [.. falseIds])
                    .Ints("target_treeids", [.. voteTrees]).Ints("target_nodeids", [.. voteNodes]).Ints("target_ids", [.. voteTargets])
                    .Floats("target_weights", [.. weights]).Int("n_targets", 1).Floats("base_values", 0.5f), domain: "ai.onnx.ml");
        }

        return builder.ToBytes();
    }

    /// <summary>Binary logistic regression as skl2onnx exports it: two coefficient rows (-w, w), LOGISTIC, then L1 normalization.</summary>
    private static byte[] LogisticRegression(int features)
    {
        var random = new Random(7100);
        var w = Enumerable.Range(0, features).Select(_ => (float)(Normal(random) * 0.3)).ToArray();
        var coefficients = w.Select(v => -v).Concat(w).ToArray();
        return new OnnxModelBuilder().Opset("", 17).Opset("ai.onnx.ml", 1).Producer("escala-bench")
            .Input("X", ElementType.Float, "N", features)
            .Output("label", ElementType.Int64, "N").Output("probabilities", ElementType.Float, "N", 2)
            .Node("LinearClassifier", ["X"], ["label", "scores"], b => b
                .Floats("coefficients", coefficients).Floats("intercepts", -0.25f, 0.25f).Ints("classlabels_ints", 0, 1)
                .Int("multi_class", 0).String("post_transform", "LOGISTIC"), domain: "ai.onnx.ml")
            .Node("Normalizer", ["scores"], ["probabilities"], b => b.String("norm", "L1"), domain: "ai.onnx.ml")
            .ToBytes();
    }

    /// <summary>An MLP 64-128-64-2 as PyTorch exports it: Gemm with transposed [out, in] weights, Relu, Softmax.</summary>
    private static byte[] Mlp()
    {
        var random = new Random(64128);
        var builder = new OnnxModelBuilder().Opset("", 17).Producer("escala-bench")
            .Input("input", ElementType.Float, "N", 64).Output("probabilities", ElementType.Float, "N", 2);
        var sizes = new[] { 64, 128, 64, 2 };
        var current = "input";
        for (var layer = 0; layer < 3; layer++)
        {
            var (inputs, outputs) = (sizes[layer], sizes[layer + 1]);
            var scale = Math.Sqrt(2.0 / inputs);
            builder.Initializer($"W{layer}", Enumerable.Range(0, inputs * outputs).Select(_ => (float)(Normal(random) * scale)).ToArray(), outputs, inputs);
            builder.Initializer($"B{layer}", Enumerable.Range(0, outputs).Select(_ => (float)(Normal(random) * 0.01)).ToArray(), outputs);
            var gemm = $"gemm{layer}";
            builder.Node("Gemm", [current, $"W{layer}", $"B{layer}"], [gemm], b => b.Int("transB", 1));
            if (layer < 2)
            {
                builder.Node("Relu", [gemm], [$"relu{layer}"]);
                current = $"relu{layer}";
            }
            else
            {
                builder.Node("Softmax", [gemm], ["probabilities"], b => b.Int("axis", 1));
            }
        }

        return builder.ToBytes();
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
