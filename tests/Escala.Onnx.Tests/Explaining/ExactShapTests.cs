using Escala.Onnx.Building;
using Escala.Onnx.Explaining;
using Escala.Onnx.Ml.Trees;
using Escala.Onnx.Tensors;
using Escala.Onnx.Tests.Ml.Trees;

namespace Escala.Onnx.Tests.Explaining;

/// <summary>The exact explainers agree with Shapley values computed by enumerating every coalition.</summary>
public sealed class ExactShapTests
{
    private static readonly string[] AllModes = ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ"];

    [Theory]
    [InlineData(1, "SUM")]
    [InlineData(2, "SUM")]
    [InlineData(3, "AVERAGE")]
    [InlineData(4, "SUM")]
    public void Interventional_tree_shap_equals_brute_force_over_coalitions(int seed, string aggregate)
    {
        var random = new Random(seed);
        const int features = 4;
        var lists = RandomTrees.Lists(random, trees: 7, maxDepth: 4, features, targets: 1, AllModes, missingTrueRate: 0.3);
        var model = ExplainerModels.TreeRegressor(lists, features, aggregate);
        var session = InferenceSession.Load(model);
        var rows = new Dictionary<string, OnnxValue> { ["x"] = new OnnxTensor<float>(RandomTrees.Rows(random, 5, features, 0.1), 5, features) };
        var background = new Dictionary<string, OnnxValue> { ["x"] = new OnnxTensor<float>(RandomTrees.Rows(random, 6, features, 0.1), 6, features) };

        var explanation = ModelExplainer.Create(model, session).Explain(rows, background);

        Assert.Equal(ExplanationMethod.TreeInterventional, explanation.Method);
        var quantity = Assert.Single(explanation.Quantities);
        var served = (OnnxTensor<float>)session.Run(rows)["y"];
        for (var r = 0; r < 5; r++)
        {
            var expected = BruteForceShapley.Values(features, ExplainerModels.InterventionalGame(session, rows, r, background, 6, "y", 0));
            for (var f = 0; f < features; f++)
            {
                Assert.Equal(expected[f], quantity.Values[(r * features) + f], 1e-4);
            }

            // Local accuracy: expected value + Σφ is the margin, exactly; and the margin is what the engine serves.
            Assert.Equal(quantity.Predicted[r], quantity.ExpectedValue + quantity.Values.AsSpan(r * features, features).ToArray().Sum(), 1e-9);
            Assert.Equal(served[r], quantity.Predicted[r], 1e-4);
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void Path_dependent_tree_shap_equals_brute_force_over_conditional_expectations(int seed)
    {
        var random = new Random(seed);
        const int features = 4;
        var lists = RandomTrees.Lists(random, trees: 5, maxDepth: 5, features, targets: 1, ["BRANCH_LEQ", "BRANCH_LT"], missingTrueRate: 0);
        var cover = Cover(lists, random);
        var model = ExplainerModels.TreeRegressor(lists, features, cover: cover);
        var session = InferenceSession.Load(model);
        var x = RandomTrees.Rows(random, 4, features, 0);
        var rows = new Dictionary<string, OnnxValue> { ["x"] = new OnnxTensor<float>(x, 4, features) };

        var explainer = ModelExplainer.Create(model, session);
        var explanation = explainer.Explain(rows, background: null);

        Assert.True(explainer.HasCover);
        Assert.Equal(ExplanationMethod.TreePathDependent, explanation.Method);
        var quantity = Assert.Single(explanation.Quantities);
        var nodes = Index(lists);
        for (var r = 0; r < 4; r++)
        {
            var row = x.AsSpan(r * features, features).ToArray();
            var expected = BruteForceShapley.Values(features, s => 0.5 + nodes.Roots.Sum(root => Conditional(nodes, cover, root, row, s)));
            for (var f = 0; f < features; f++)
            {
                Assert.Equal(expected[f], quantity.Values[(r * features) + f], 1e-9);
            }

            Assert.Equal(quantity.Predicted[r], quantity.ExpectedValue + quantity.Values.AsSpan(r * features, features).ToArray().Sum(), 1e-9);
        }

        Assert.Equal(0.5 + nodes.Roots.Sum(root => Conditional(nodes, cover, root, x, 0)), quantity.ExpectedValue, 1e-9);
    }

    [Fact]
    public void Linear_shap_through_scaler_and_one_hot_equals_brute_force_over_input_features()
    {
        var model = ExplainerModels.Pipeline(b => b.Output("y", OnnxTypeInfo.Unknown)
            .Node("LinearRegressor", ["features"], ["y"], n => n.Floats("coefficients", 0.7f, -1.3f, 2f, -0.5f, 0.25f).Floats("intercepts", 0.1f), domain: "ai.onnx.ml"));
        AssertMatchesBruteForce(model, "y", ExplanationMethod.LinearExact);
    }

    [Fact]
    public void Linear_classifier_margin_is_the_positive_class_score()
    {
        var model = ExplainerModels.Pipeline(b => b.Output("label", OnnxTypeInfo.Unknown).Output("scores", OnnxTypeInfo.Unknown)
            .Node("LinearClassifier", ["features"], ["label", "scores"], n => n.Floats("coefficients", 0.7f, -1.3f, 2f, -0.5f, 0.25f)
                .Floats("intercepts", -0.2f).Ints("classlabels_ints", 0, 1), domain: "ai.onnx.ml"));
        var explanation = AssertMatchesBruteForce(model, "scores", ExplanationMethod.LinearExact, column: 1);
        Assert.Equal("1", Assert.Single(explanation.Quantities).Class);
    }

    [Fact]
    public void Gemm_with_constant_weights_is_explained_exactly()
    {
        var model = ExplainerModels.Pipeline(
            b => b.Initializer<float>("W", [0.5f, -1f, 2f, 0.3f, 0.1f, 1.5f, -0.7f, 0.2f, 0.9f, -2f], 5, 2).Initializer<float>("C", [0.25f, -0.5f], 2),
            b => b.Output("y", OnnxTypeInfo.Unknown).Node("Gemm", ["features", "W", "C"], ["y"], n => n.Float("alpha", 1.5f)));
        var explanation = AssertMatchesBruteForce(model, "y", ExplanationMethod.LinearExact, column: 1);
        Assert.Equal(2, explanation.Quantities.Count);
    }

    [Fact]
    public void Tree_shap_moves_the_one_hot_columns_of_a_feature_together()
    {
        var lists = new TreeNodeLists(
            TreeIds: [0, 0, 0, 0, 0, 0, 0, 1, 1, 1],
            NodeIds: [0, 1, 2, 3, 4, 5, 6, 0, 1, 2],
            FeatureIds: [3, 0, 1, 0, 0, 0, 0, 2, 0, 0],
            Modes: ["BRANCH_GT", "BRANCH_LEQ", "BRANCH_LEQ", "LEAF", "LEAF", "LEAF", "LEAF", "BRANCH_GT", "LEAF", "LEAF"],
            Values: [0.5, -0.5, 0.2, 0, 0, 0, 0, 0.5, 0, 0],
            MissingTracksTrue: [],
            TrueNodeIds: [1, 3, 5, 0, 0, 0, 0, 1, 0, 0],
            FalseNodeIds: [2, 4, 6, 0, 0, 0, 0, 2, 0, 0],
            WeightTreeIds: [0, 0, 0, 0, 1, 1],
            WeightNodeIds: [3, 4, 5, 6, 1, 2],
            WeightTargetIds: [0, 0, 0, 0, 0, 0],
            Weights: [1.5, -0.25, 3, 0.75, 2, -1]);
        var model = ExplainerModels.Pipeline(b => b.Output("y", OnnxTypeInfo.Unknown)
            .Node("TreeEnsembleRegressor", ["features"], ["y"], n =>
            {
                ExplainerModels.TreeAttributes(n, lists, "target");
                n.Int("n_targets", 1);
            }, domain: "ai.onnx.ml"));
        AssertMatchesBruteForce(model, "y", ExplanationMethod.TreeInterventional);
    }

    [Fact]
    public void Sampling_estimate_is_within_its_standard_errors_of_brute_force_and_adds_up()
    {
        // tanh(x·w) is not a tree or linear node: the estimate is labelled approximate.
        var model = new OnnxModelBuilder().Opset("", 17)
            .Input("x", ElementType.Float, new OnnxDim("N"), new OnnxDim(3))
            .Initializer<float>("w", [1.2f, -0.8f, 0.5f], 3, 1)
            .Output("y", OnnxTypeInfo.Unknown)
            .Node("MatMul", ["x", "w"], ["xw"])
            .Node("Tanh", ["xw"], ["y"])
            .ToBytes();
        var session = InferenceSession.Load(model);
        var rows = new Dictionary<string, OnnxValue> { ["x"] = new OnnxTensor<float>([0.9f, -0.4f, 1.1f, -1f, 0.3f, 0.2f], 2, 3) };
        var background = new Dictionary<string, OnnxValue> { ["x"] = new OnnxTensor<float>([0f, 0f, 0f, 0.5f, 0.5f, -0.5f, -0.3f, 1f, 0.4f, 1f, -1f, 0f], 4, 3) };

        var explanation = ModelExplainer.Create(model, session).Explain(rows, background, new ExplainOptions { Permutations = 800 });

        Assert.Equal(ExplanationMethod.SamplingApproximate, explanation.Method);
        Assert.False(explanation.IsExact);
        var quantity = Assert.Single(explanation.Quantities);
        var served = (OnnxTensor<float>)session.Run(rows)["y"];
        for (var r = 0; r < 2; r++)
        {
            var exact = BruteForceShapley.Values(3, ExplainerModels.InterventionalGame(session, rows, r, background, 4, "y", 0));
            for (var f = 0; f < 3; f++)
            {
                var error = quantity.StandardErrors![(r * 3) + f];
                Assert.InRange(quantity.Values[(r * 3) + f], exact[f] - (4 * error) - 1e-6, exact[f] + (4 * error) + 1e-6);
            }

            // 800 samples cycle the 4 background rows evenly: the expectation is the background's mean, and the sum adds up.
            Assert.Equal(served[r], quantity.ExpectedValue + quantity.Values.AsSpan(r * 3, 3).ToArray().Sum(), 1e-5);
        }
    }

    [Fact]
    public void A_normalizer_in_front_of_the_model_falls_back_to_the_labelled_estimate()
    {
        var model = new OnnxModelBuilder().Opset("", 17).Opset("ai.onnx.ml", 3)
            .Input("x", ElementType.Float, new OnnxDim("N"), new OnnxDim(2))
            .Output("y", OnnxTypeInfo.Unknown)
            .Node("Normalizer", ["x"], ["n"], b => b.String("norm", "L2"), domain: "ai.onnx.ml")
            .Node("LinearRegressor", ["n"], ["y"], b => b.Floats("coefficients", 1f, 2f), domain: "ai.onnx.ml")
            .ToBytes();
        var explainer = ModelExplainer.Create(model, InferenceSession.Load(model));
        var rows = new Dictionary<string, OnnxValue> { ["x"] = new OnnxTensor<float>([1f, 2f], 1, 2) };
        var background = new Dictionary<string, OnnxValue> { ["x"] = new OnnxTensor<float>([0.5f, 0.5f, 2f, -1f], 2, 2) };

        Assert.Equal(ExplanationMethod.SamplingApproximate, explainer.Explain(rows, background).Method);
        var refused = Assert.Throws<ExplanationException>(() => explainer.Explain(rows, background, new ExplainOptions { Method = ExplanationMethod.LinearExact }));
        Assert.Contains("Normalizer", refused.Message, StringComparison.Ordinal);
        Assert.Throws<ExplanationException>(() => explainer.Explain(rows, background: null));
    }

    private static Explanation AssertMatchesBruteForce(byte[] model, string output, ExplanationMethod method, int column = 0)
    {
        var session = InferenceSession.Load(model);
        var rows = ExplainerModels.PipelineRows([1.5f, -0.5f, 3f, 2f, -2f, 0.25f], [20, 30, 99]);
        var background = ExplainerModels.PipelineRows([0f, 0f, 1f, 1f, 2f, -1f, -1f, 3f, 0.5f, 0.5f], [10, 20, 30, 10, 20]);
        var explanation = ModelExplainer.Create(model, session).Explain(rows, background);

        Assert.Equal(method, explanation.Method);
        Assert.Equal(["num[0]", "num[1]", "city"], explanation.Features);
        var quantity = explanation.Quantities.Single(q => q.Column == column);
        for (var r = 0; r < 3; r++)
        {
            var expected = BruteForceShapley.Values(3, ExplainerModels.InterventionalGame(session, rows, r, background, 5, output, column));
            for (var f = 0; f < 3; f++)
            {
                Assert.Equal(expected[f], quantity.Values[(r * 3) + f], 1e-4);
            }

            Assert.Equal(quantity.Predicted[r], quantity.ExpectedValue + quantity.Values.AsSpan(r * 3, 3).ToArray().Sum(), 1e-9);
        }

        return explanation;
    }

    private sealed record IndexedTrees(int[] Roots, int[] Feature, double[] Threshold, string[] Mode, int[] True, int[] False, double[] Leaf);

    private static IndexedTrees Index(TreeNodeLists lists)
    {
        var n = lists.NodeIds.Count;
        var at = new Dictionary<(long, long), int>();
        for (var i = 0; i < n; i++)
        {
            at[(lists.TreeIds[i], lists.NodeIds[i])] = i;
        }

        var leaf = new double[n];
        for (var k = 0; k < lists.Weights.Count; k++)
        {
            leaf[at[(lists.WeightTreeIds[k], lists.WeightNodeIds[k])]] += (float)lists.Weights[k]; // the model stores them as floats
        }

        return new IndexedTrees(
            [.. lists.TreeIds.Select((t, i) => (t, i)).GroupBy(p => p.t).Select(g => g.First().i)],
            [.. lists.FeatureIds.Select(f => (int)f)],
            [.. lists.Values],
            [.. lists.Modes],
            [.. Enumerable.Range(0, n).Select(i => at[(lists.TreeIds[i], lists.TrueNodeIds[i])])],
            [.. Enumerable.Range(0, n).Select(i => at[(lists.TreeIds[i], lists.FalseNodeIds[i])])],
            leaf);
    }

    /// <summary>Random leaf counts, summed up the trees: cover(node) = cover(true child) + cover(false child).</summary>
    private static double[] Cover(TreeNodeLists lists, Random random)
    {
        var trees = Index(lists);
        var cover = new double[lists.NodeIds.Count];
        double Fill(int i) => cover[i] = trees.Mode[i] == "LEAF" ? random.Next(1, 20) : Fill(trees.True[i]) + Fill(trees.False[i]);
        foreach (var root in trees.Roots)
        {
            Fill(root);
        }

        return cover;
    }

    /// <summary>E[tree(x) | x_S] under the cover: known features follow x, unknown ones split by the children's cover.</summary>
    private static double Conditional(IndexedTrees t, double[] cover, int i, float[] x, int known)
    {
        if (t.Mode[i] == "LEAF")
        {
            return t.Leaf[i];
        }

        if ((known & (1 << t.Feature[i])) != 0)
        {
            var v = x[t.Feature[i]];
            var threshold = (float)t.Threshold[i];
            var goesTrue = t.Mode[i] == "BRANCH_LEQ" ? v <= threshold : v < threshold;
            return Conditional(t, cover, goesTrue ? t.True[i] : t.False[i], x, known);
        }

        return ((cover[t.True[i]] * Conditional(t, cover, t.True[i], x, known)) + (cover[t.False[i]] * Conditional(t, cover, t.False[i], x, known))) / cover[i];
    }
}
