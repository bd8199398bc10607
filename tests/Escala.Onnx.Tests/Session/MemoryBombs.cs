using Escala.Onnx.Building;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Session;

/// <summary>
/// Tiny models that ask for huge memory: every operator and attribute from which the engine derives a size.
/// <see cref="RefusedAtLoad"/> declare the size in attributes or constants, so compiling the plan must refuse them
/// naming the node; <see cref="RefusedAtRun"/> take the size from the request, so a run must stop before
/// allocating; <see cref="ManyFoldedConstants"/> is legal but heavy, and must stay bounded. Linked into the server and CLI tests,
/// which send the same files through a real server.
/// </summary>
public static class MemoryBombs
{
    /// <summary>A model that compiling must refuse: <see cref="Node"/> is the node the error names.</summary>
    public sealed record LoadBomb(string Name, string Node, byte[] Bytes)
    {
        /// <inheritdoc/>
        public override string ToString() => Name;
    }

    /// <summary>A model that loads, and a request (input name to value) whose run must be refused before it allocates.</summary>
    public sealed record RunBomb(string Name, string Node, byte[] Bytes, IReadOnlyDictionary<string, OnnxTensor> Inputs)
    {
        /// <inheritdoc/>
        public override string ToString() => Name;
    }

    /// <summary>Sizes derived from attributes, constants or declared shapes: refused when the plan is compiled.</summary>
    public static IReadOnlyList<LoadBomb> RefusedAtLoad { get; } =
    [
        new("TreeEnsembleRegressor n_targets = 2^30", "trees", Tree("TreeEnsembleRegressor", b => b.Int("n_targets", 1L << 30))),
        new("TreeEnsemble (ml opset 5) n_targets = 2^30", "trees", TreeOpset5(1L << 30)),
        new("SVMClassifier with 20000 classes (pairwise votes)", "svm", Build(b => b.Opset("ai.onnx.ml", 1)
            .Input("X", ElementType.Float, "N", 1).Output("L", ElementType.Int64, "N").Output("S", ElementType.Float, "N", 20000)
            .Node("SVMClassifier", ["X"], ["L", "S"], a => a
                .Ints("classlabels_ints", [.. Enumerable.Range(0, 20000).Select(i => (long)i)])
                .Floats("coefficients", 1f).Floats("support_vectors", 1f).Ints("vectors_per_class", 1).Floats("rho", 0f),
                domain: "ai.onnx.ml", name: "svm"))),
        new("FeatureVectorizer inputdimensions = [2^30]", "vectorizer", Build(b => b.Opset("ai.onnx.ml", 1)
            .Input("X", ElementType.Float, "N", 1).Output("Y", ElementType.Float, "N", 1L << 30)
            .Node("FeatureVectorizer", ["X"], ["Y"], a => a.Ints("inputdimensions", 1L << 30), domain: "ai.onnx.ml", name: "vectorizer"))),
        new("ConstantOfShape [16384, 16384] from a constant", "fill", Build(b => b
            .Input("X", ElementType.Float, 1).Output("Y", ElementType.Float, 16384, 16384)
            .Initializer("shape", new long[] { 16384, 16384 }, 2)
            .Node("ConstantOfShape", ["shape"], ["F"], name: "fill")
            .Node("Add", ["F", "X"], ["Y"]))),
        new("ConstantOfShape of a Constant node's shape", "fill", Build(b => b
            .Input("X", ElementType.Float, 1).Output("Y", ElementType.Float, 65536, 65536)
            .Node("Constant", [], ["shape"], a => a.Ints("value_ints", 65536, 65536))
            .Node("ConstantOfShape", ["shape"], ["F"], name: "fill")
            .Node("Add", ["F", "X"], ["Y"]))),
        new("Expand a scalar to [16384, 16384]", "expand", Build(b => b
            .Input("X", ElementType.Float, 1).Output("Y", ElementType.Float, 16384, 16384)
            .Initializer("shape", new long[] { 16384, 16384 }, 2)
            .Node("Expand", ["X", "shape"], ["Y"], name: "expand"))),
        new("Tile a row 2^31 times", "tile", Build(b => b
            .Input("X", ElementType.Float, "N", 4).Output("Y", ElementType.Float, "M", "K")
            .Initializer("repeats", new long[] { 1L << 31, 1 }, 2)
            .Node("Tile", ["X", "repeats"], ["Y"], name: "tile"))),
        new("Range 0 to 1e10 from constants", "range", Build(b => b
            .Input("X", ElementType.Float, 1).Output("Y", ElementType.Float, "M")
            .Initializer("start", new float[] { 0 }).Initializer("limit", new float[] { 1e10f }).Initializer("delta", new float[] { 1 })
            .Node("Range", ["start", "limit", "delta"], ["R"], name: "range")
            .Node("Add", ["R", "X"], ["Y"]))),
        new("input declared [16384, 16384]", "X", Build(b => b
            .Input("X", ElementType.Float, 16384, 16384).Output("Y", ElementType.Float, 16384, 16384)
            .Node("Relu", ["X"], ["Y"]))),
    ];

    /// <summary>Sizes taken from the request (a shape, a repeat count, the row count): refused at run time, before allocating.</summary>
    public static IReadOnlyList<RunBomb> RefusedAtRun { get; } =
    [
        new("ConstantOfShape [16384, 16384] from the request", "fill", Build(b => b
                .Input("shape", ElementType.Int64, 2).Output("Y", ElementType.Float, "A", "B")
                .Node("ConstantOfShape", ["shape"], ["Y"], name: "fill")),
            new Dictionary<string, OnnxTensor> { ["shape"] = new OnnxTensor<long>([16384, 16384], 2) }),
        new("Expand to a shape from the request", "expand", Build(b => b
                .Input("X", ElementType.Float, 1).Input("shape", ElementType.Int64, 2).Output("Y", ElementType.Float, "A", "B")
                .Node("Expand", ["X", "shape"], ["Y"], name: "expand")),
            new Dictionary<string, OnnxTensor> { ["X"] = new OnnxTensor<float>([1f], 1), ["shape"] = new OnnxTensor<long>([16384, 16384], 2) }),
        new("Tile with repeats from the request", "tile", Build(b => b
                .Input("X", ElementType.Float, 1, 4).Input("repeats", ElementType.Int64, 2).Output("Y", ElementType.Float, "A", "B")
                .Node("Tile", ["X", "repeats"], ["Y"], name: "tile")),
            new Dictionary<string, OnnxTensor> { ["X"] = new OnnxTensor<float>([1f, 2, 3, 4], 1, 4), ["repeats"] = new OnnxTensor<long>([1 << 26, 1], 2) }),
        new("Range with a limit from the request", "range", Build(b => b
                .Input("limit", ElementType.Float).Output("Y", ElementType.Float, "M")
                .Initializer("start", new float[] { 0 }).Initializer("delta", new float[] { 1 })
                .Node("Range", ["start", "limit", "delta"], ["Y"], name: "range")),
            new Dictionary<string, OnnxTensor> { ["limit"] = OnnxTensor<float>.Scalar(1e8f) }),
        new("outer product of two small inputs (MatMul)", "outer", Build(b => b
                .Input("A", ElementType.Float, "N", 1).Input("B", ElementType.Float, 1, "M").Output("Y", ElementType.Float, "N", "M")
                .Node("MatMul", ["A", "B"], ["Y"], name: "outer")),
            new Dictionary<string, OnnxTensor> { ["A"] = Ones(16384, 1), ["B"] = Ones(1, 16384) }),
        new("broadcast of two small inputs (Add)", "broadcast", Build(b => b
                .Input("A", ElementType.Float, "N", 1).Input("B", ElementType.Float, 1, "M").Output("Y", ElementType.Float, "N", "M")
                .Node("Add", ["A", "B"], ["Y"], name: "broadcast")),
            new Dictionary<string, OnnxTensor> { ["A"] = Ones(16384, 1), ["B"] = Ones(1, 16384) }),
        new("TreeEnsembleRegressor 2^22 targets over 64 rows (scratch rows x targets)", "trees",
            Tree("TreeEnsembleRegressor", b => b.Int("n_targets", 1L << 22)),
            new Dictionary<string, OnnxTensor> { ["X"] = Ones(64, 1) }),
        new("TreeEnsembleClassifier 2^18 classes over 1024 rows", "trees",
            Tree("TreeEnsembleClassifier", b => b.Ints("classlabels_int64s", [.. Enumerable.Range(0, 1 << 18).Select(i => (long)i)]), classifier: true),
            new Dictionary<string, OnnxTensor> { ["X"] = Ones(1024, 1) }),
    ];

    /// <summary>
    /// Legal but heavy: 64 ConstantOfShape nodes of 1 M floats each. Folding all of them would keep 256 MiB per
    /// loaded version; the compiler folds at most 16 MiB and leaves the rest to each run's budget.
    /// </summary>
    public static byte[] ManyFoldedConstants { get; } = Build(b =>
    {
        b.Input("X", ElementType.Float, 1).Output("Y", ElementType.Float, 1024, 1024).Initializer("shape", new long[] { 1024, 1024 }, 2);
        var sum = "X";
        for (var i = 0; i < 64; i++)
        {
            b.Node("ConstantOfShape", ["shape"], [$"F{i}"], a => a.Tensor("value", new OnnxTensor<float>([i], 1)), name: $"fill{i}");
            b.Node("Add", [sum, $"F{i}"], [i == 63 ? "Y" : $"S{i}"]);
            sum = $"S{i}";
        }
    });

    /// <summary>
    /// A forest of <paramref name="trees"/> complete trees of depth <paramref name="depth"/> over 4 features (single target):
    /// slow on many rows, to show a cancelled run stops inside the tree walk.
    /// </summary>
    public static byte[] Forest(int trees, int depth)
    {
        var nodesPerTree = (1 << (depth + 1)) - 1;
        var internalNodes = (1 << depth) - 1;
        var treeIds = new List<long>();
        var nodeIds = new List<long>();
        var features = new List<long>();
        var modes = new List<string>();
        var values = new List<float>();
        var trueIds = new List<long>();
        var falseIds = new List<long>();
        var leafTrees = new List<long>();
        var leafNodes = new List<long>();
        var weights = new List<float>();
        for (var t = 0; t < trees; t++)
        {
            for (var n = 0; n < nodesPerTree; n++)
            {
                treeIds.Add(t);
                nodeIds.Add(n);
                var leaf = n >= internalNodes;
                features.Add(leaf ? 0 : (n + t) % 4);
                modes.Add(leaf ? "LEAF" : "BRANCH_LEQ");
                values.Add(leaf ? 0 : ((n * 37) + (t * 11)) % 100 / 50f - 1f);
                trueIds.Add(leaf ? 0 : (2 * n) + 1);
                falseIds.Add(leaf ? 0 : (2 * n) + 2);
                if (leaf)
                {
                    leafTrees.Add(t);
                    leafNodes.Add(n);
                    weights.Add((n % 7) / 10f);
                }
            }
        }

        return Build(b => b.Opset("ai.onnx.ml", 3)
            .Input("X", ElementType.Float, "N", 4).Output("Y", ElementType.Float, "N", 1)
            .Node("TreeEnsembleRegressor", ["X"], ["Y"], a => a
                .Ints("nodes_treeids", [.. treeIds]).Ints("nodes_nodeids", [.. nodeIds]).Ints("nodes_featureids", [.. features])
                .Strings("nodes_modes", [.. modes]).Floats("nodes_values", [.. values])
                .Ints("nodes_truenodeids", [.. trueIds]).Ints("nodes_falsenodeids", [.. falseIds])
                .Ints("target_treeids", [.. leafTrees]).Ints("target_nodeids", [.. leafNodes])
                .Ints("target_ids", [.. leafTrees.Select(_ => 0L)]).Floats("target_weights", [.. weights]).Int("n_targets", 1),
                domain: "ai.onnx.ml", name: "forest"));
    }

    /// <summary>A tensor of ones.</summary>
    public static OnnxTensor<float> Ones(int rows, int columns) => new([.. Enumerable.Repeat(1f, rows * columns)], rows, columns);

    // One stump (split on feature 0 at 0.5, two leaves) voting for target/class 0; `size` adds what makes it big.
    private static byte[] Tree(string op, Action<OnnxNodeBuilder> size, bool classifier = false) => Build(b =>
    {
        b.Opset("ai.onnx.ml", 3).Input("X", ElementType.Float, "N", 1);
        if (classifier)
        {
            b.Output("L", ElementType.Int64, "N").Output("S", ElementType.Float, "N", "T");
        }
        else
        {
            b.Output("Y", ElementType.Float, "N", "T");
        }

        b.Node(op, ["X"], classifier ? ["L", "S"] : ["Y"], a =>
        {
            a.Ints("nodes_treeids", 0, 0, 0).Ints("nodes_nodeids", 0, 1, 2).Ints("nodes_featureids", 0, 0, 0)
                .Strings("nodes_modes", "BRANCH_LEQ", "LEAF", "LEAF").Floats("nodes_values", 0.5f, 0, 0)
                .Ints("nodes_truenodeids", 1, 0, 0).Ints("nodes_falsenodeids", 2, 0, 0);
            var prefix = classifier ? "class" : "target";
            a.Ints($"{prefix}_treeids", 0, 0).Ints($"{prefix}_nodeids", 1, 2).Ints($"{prefix}_ids", 0, 0).Floats($"{prefix}_weights", 1f, 2f);
            size(a);
        }, domain: "ai.onnx.ml", name: "trees");
    });

    private static byte[] TreeOpset5(long targets) => Build(b => b.Opset("ai.onnx.ml", 5)
        .Input("X", ElementType.Float, "N", 1).Output("Y", ElementType.Float, "N", "T")
        .Node("TreeEnsemble", ["X"], ["Y"], a => a
            .Ints("nodes_featureids", 0).Tensor("nodes_splits", new OnnxTensor<float>([0.5f], 1))
            .Tensor("nodes_modes", new OnnxTensor<byte>([0], 1))
            .Ints("nodes_truenodeids", 0).Ints("nodes_falsenodeids", 1).Ints("nodes_trueleafs", 1).Ints("nodes_falseleafs", 1)
            .Ints("tree_roots", 0).Ints("leaf_targetids", 0, 0).Tensor("leaf_weights", new OnnxTensor<float>([1f, 2f], 2))
            .Int("n_targets", targets),
            domain: "ai.onnx.ml", name: "trees"));

    private static byte[] Build(Action<OnnxModelBuilder> build)
    {
        var builder = new OnnxModelBuilder().Opset("", 17);
        build(builder);
        return builder.ToBytes();
    }
}
