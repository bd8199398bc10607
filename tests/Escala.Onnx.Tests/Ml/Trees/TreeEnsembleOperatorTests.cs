using Escala.Onnx.Building;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Tests.Ml.Trees;

/// <summary>
/// TreeEnsembleRegressor, TreeEnsembleClassifier and TreeEnsemble as one-node models. Expected values were computed by
/// ONNX Runtime 1.30 on the same attributes and inputs (ort-reference.mjs), unless a test says they are worked out by
/// hand or follow the specification where ONNX Runtime's answer is a defect.
/// </summary>
public sealed class TreeEnsembleOperatorTests
{
    [Theory]
    [InlineData("BRANCH_LEQ", 0, new[] { 1f, 1, 2, 2 })]
    [InlineData("BRANCH_LEQ", 1, new[] { 1f, 1, 2, 1 })]
    [InlineData("BRANCH_LT", 1, new[] { 1f, 2, 2, 1 })]
    [InlineData("BRANCH_GTE", 0, new[] { 2f, 1, 1, 2 })]
    [InlineData("BRANCH_GT", 1, new[] { 2f, 2, 1, 1 })]
    [InlineData("BRANCH_EQ", 1, new[] { 2f, 1, 2, 1 })]
    [InlineData("BRANCH_NEQ", 0, new[] { 1f, 2, 1, 1 })]
    public void Regressor_routes_each_mode_and_missing_value_track(string mode, long missingTrue, float[] expected)
    {
        var outputs = Regressor(mode, missingTrue, b => { })
            .Input("X", [0f, 0.5f, 1f, float.NaN], 4, 1).Run();
        Assert.Equal(expected, OneNodeModel.Values<float>(outputs[0]));
    }

    [Fact]
    public void Regressor_accepts_int64_double_and_one_dimensional_inputs()
    {
        // Integers compare after conversion; doubles compare against the float threshold widened to double
        // (0.1f = 0.100000001490116...), so 0.1000000015 falls on the false side.
        Assert.Equal([1f, 2f, 2f], OneNodeModel.Values<float>(Regressor("BRANCH_LEQ", 0, b => { }).Input("X", [0L, 1L, 2L], 3, 1).Run()[0]));
        var doubles = Regressor("BRANCH_LEQ", 0, b => b.Floats("nodes_values", 0.1f, 0, 0))
            .Input("X", [0.1, 0.10000000149011612, 0.1000000015], 3, 1).Run();
        Assert.Equal([1f, 1f, 2f], OneNodeModel.Values<float>(doubles[0]));
        var single = Regressor("BRANCH_LEQ", 0, b => { }).Input("X", [0f], 1).Run();
        Assert.Equal([1], Assert.IsType<OnnxTensor<float>>(single[0]).Shape.ToArray()[1..]);
    }

    [Fact]
    public void Regressor_with_double_tensor_attributes_keeps_double_thresholds()
    {
        // nodes_values_as_tensor = 0.1 (double): 0.1000000001 is above it although it rounds to 0.1f. Worked out by hand.
        var model = new OneNodeModel("TreeEnsembleRegressor", b =>
        {
            Tree(b, "BRANCH_LEQ", 0);
            b.Node.Attribute.RemoveAll(a => a.Name == "nodes_values");
            b.Tensor("nodes_values_as_tensor", new OnnxTensor<double>([0.1, 0, 0], 3));
            b.Tensor("target_weights_as_tensor", new OnnxTensor<double>([1, 2], 2));
            b.Ints("target_treeids", 0, 0).Ints("target_nodeids", 1, 2).Ints("target_ids", 0, 0).Int("n_targets", 1);
        }).Input("X", [0.1, 0.1000000001], 2, 1).Outputs("Y");
        Assert.Equal([1f, 2f], OneNodeModel.Values<float>(model.Run()[0]));
    }

    [Fact]
    public void Classifier_with_string_labels_answers_strings_and_scores()
    {
        // scikit-learn binary gradient boosting: votes for class 0 only, mixed signs, one base value, LOGISTIC.
        var outputs = new OneNodeModel("TreeEnsembleClassifier", b =>
        {
            Tree(b, "BRANCH_LEQ", 0);
            b.Ints("class_treeids", 0, 0).Ints("class_nodeids", 1, 2).Ints("class_ids", 0, 0).Floats("class_weights", -0.3f, 0.8f);
            b.Strings("classlabels_strings", "no", "yes").Floats("base_values", 0.25f).String("post_transform", "LOGISTIC");
        }).Input("X", [0f, 1f], 2, 1).Outputs("label", "probabilities").Run();
        Assert.Equal(["no", "yes"], OneNodeModel.Values<string>(outputs[0]));
        OneNodeModel.AssertClose([0.5124974f, 0.4875026f, 0.25922513f, 0.74077487f], outputs[1]);
    }

    [Theory]
    [InlineData("NONE", new[] { 0.7f, 0.3f, 0.2f, 0.8f })]
    [InlineData("SOFTMAX", new[] { 0.5986877f, 0.40131232f, 0.35434368f, 0.6456563f })]
    [InlineData("SOFTMAX_ZERO", new[] { 0.5986877f, 0.40131232f, 0.35434368f, 0.6456563f })]
    [InlineData("LOGISTIC", new[] { 0.6681877f, 0.5744425f, 0.54983395f, 0.6899745f })]
    public void Classifier_with_votes_for_every_class_picks_the_highest(string transform, float[] expected)
    {
        // Specification reading for the label: ONNX Runtime 1.30 answers 1 for both rows here (see docs/engine-ml.md).
        var outputs = new OneNodeModel("TreeEnsembleClassifier", b =>
        {
            Tree(b, "BRANCH_LEQ", 0);
            b.Ints("class_treeids", 0, 0, 0, 0).Ints("class_nodeids", 1, 1, 2, 2).Ints("class_ids", 0, 1, 0, 1).Floats("class_weights", 0.7f, 0.3f, 0.2f, 0.8f);
            b.Ints("classlabels_int64s", 10, 20).String("post_transform", transform);
        }).Input("X", [0f, 1f], 2, 1).Outputs("label", "probabilities").Run();
        Assert.Equal([10L, 20L], OneNodeModel.Values<long>(outputs[0]));
        OneNodeModel.AssertClose(expected, outputs[1]);
    }

    [Fact]
    public void Tree_ensemble_opset_5_tests_set_membership_and_aggregates_in_double()
    {
        // One tree: node 0 "x0 in {1, 3}" -> leaf 0 (5.0) else node 1 "x0 <= 10" -> leaf 1 (6.0) else leaf 2 (7.0);
        // NaN follows node 0's true branch. Worked out by hand.
        var outputs = new OneNodeModel("TreeEnsemble", b =>
        {
            b.Ints("nodes_featureids", 0, 0).Tensor("nodes_splits", new OnnxTensor<double>([0, 10], 2))
                .Tensor("nodes_modes", new OnnxTensor<byte>([6, 0], 2))
                .Ints("nodes_truenodeids", 0, 1).Ints("nodes_falsenodeids", 1, 2).Ints("nodes_trueleafs", 1, 1).Ints("nodes_falseleafs", 0, 1)
                .Ints("nodes_missing_value_tracks_true", 1, 0).Ints("tree_roots", 0)
                .Tensor("membership_values", new OnnxTensor<double>([1, 3, double.NaN], 3))
                .Ints("leaf_targetids", 0, 0, 0).Tensor("leaf_weights", new OnnxTensor<double>([5, 6, 7], 3)).Int("n_targets", 1);
        }, opset: 5).Input("X", [1.0, 2.0, 3.0, 11.0, double.NaN], 5, 1).Outputs("Y").Run();
        Assert.Equal([5.0, 6.0, 5.0, 7.0, 5.0], OneNodeModel.Values<double>(outputs[0]));
    }

    [Theory]
    [InlineData(0, new[] { 5.5f, 11f })]   // AVERAGE
    [InlineData(1, new[] { 11f, 22f })]    // SUM
    [InlineData(2, new[] { 1f, 2f })]      // MIN
    [InlineData(3, new[] { 10f, 20f })]    // MAX
    public void Tree_ensemble_opset_5_aggregates_its_trees(long aggregate, float[] expected)
    {
        // Two one-split trees: x = 0 reaches leaves 1 and 10, x = 1 leaves 2 and 20. Worked out by hand.
        var outputs = new OneNodeModel("TreeEnsemble", b =>
        {
            b.Ints("nodes_featureids", 0, 0).Tensor("nodes_splits", new OnnxTensor<float>([0.5f, 0.5f], 2))
                .Tensor("nodes_modes", new OnnxTensor<byte>([0, 0], 2))
                .Ints("nodes_truenodeids", 0, 2).Ints("nodes_falsenodeids", 1, 3).Ints("nodes_trueleafs", 1, 1).Ints("nodes_falseleafs", 1, 1)
                .Ints("tree_roots", 0, 1).Ints("leaf_targetids", 0, 0, 0, 0).Tensor("leaf_weights", new OnnxTensor<float>([1, 2, 10, 20], 4))
                .Int("n_targets", 1).Int("aggregate_function", aggregate);
        }, opset: 5).Input("X", [0f, 1f], 2, 1).Outputs("Y").Run();
        Assert.Equal(expected, OneNodeModel.Values<float>(outputs[0]));
    }

    [Fact]
    public void A_model_whose_tree_loops_back_is_refused_naming_the_node()
    {
        var error = Regressor("BRANCH_LEQ", 0, b => b.Ints("nodes_truenodeids", 1, 0, 0).Strings("nodes_modes", "BRANCH_LEQ", "BRANCH_LEQ", "LEAF")
            .Ints("nodes_falsenodeids", 2, 0, 0)).Input("X", [0f], 1, 1).LoadError();
        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
        Assert.Equal("TreeEnsembleRegressor", error.OpType);
    }

    [Theory]
    [InlineData("nodes_modes", "is not one of")]
    [InlineData("target_ids", "outside [0, 1)")]
    [InlineData("nodes_truenodeids", "not in that tree")]
    [InlineData("nodes_values", "expected 3")]
    public void Inconsistent_tree_attributes_are_refused_with_a_clear_message(string attribute, string message)
    {
        var error = Regressor("BRANCH_LEQ", 0, b =>
        {
            _ = attribute switch
            {
                "nodes_modes" => b.Strings("nodes_modes", "BRANCH_LESS", "LEAF", "LEAF"),
                "target_ids" => b.Ints("target_ids", 0, 1),
                "nodes_truenodeids" => b.Ints("nodes_truenodeids", 7, 0, 0),
                _ => b.Floats("nodes_values", 0.5f),
            };
        }).Input("X", [0f], 1, 1).LoadError();
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_with_fewer_features_than_the_trees_read_is_an_error_naming_the_feature()
    {
        var error = Regressor("BRANCH_LEQ", 0, b => b.Ints("nodes_featureids", 2, 0, 0)).Input("X", [0f, 1f], 1, 2).RunError();
        Assert.Contains("feature 2", error.Message, StringComparison.Ordinal);
    }

    private static OneNodeModel Regressor(string mode, long missingTrue, Action<OnnxNodeBuilder> overrides) =>
        new OneNodeModel("TreeEnsembleRegressor", b =>
        {
            Tree(b, mode, missingTrue);
            b.Ints("target_treeids", 0, 0).Ints("target_nodeids", 1, 2).Ints("target_ids", 0, 0).Floats("target_weights", 1f, 2f).Int("n_targets", 1);
            overrides(b);
        }).Outputs("Y");

    /// <summary>One tree: node 0 compares x0 with 0.5, node 1 is the true leaf, node 2 the false leaf.</summary>
    private static void Tree(OnnxNodeBuilder b, string mode, long missingTrue) =>
        b.Ints("nodes_treeids", 0, 0, 0).Ints("nodes_nodeids", 0, 1, 2).Ints("nodes_featureids", 0, 0, 0)
            .Strings("nodes_modes", mode, "LEAF", "LEAF").Floats("nodes_values", 0.5f, 0, 0)
            .Ints("nodes_missing_value_tracks_true", missingTrue, 0, 0).Ints("nodes_truenodeids", 1, 0, 0).Ints("nodes_falsenodeids", 2, 0, 0);
}
