using Escala.Onnx.Ml;
using Escala.Onnx.Ml.Trees;

namespace Escala.Onnx.Tests.Ml.Trees;

/// <summary>
/// Base values, aggregates, transforms and class choice on tiny ensembles. Inputs are x = 0 (true leaf of a split at
/// 0.5) and x = 1 (false leaf). Unless a test says otherwise, expected values are ONNX Runtime 1.30's answers for the
/// same attributes (one-node models run with ort-reference.mjs).
/// </summary>
public sealed class TreeOutputsTests
{
    [Theory]
    [InlineData("NONE", new[] { 0, 1 }, new[] { 0.7f, 0.3f, 0.2f, 0.8f })]
    [InlineData("LOGISTIC", new[] { 0, 1 }, new[] { 0.4255575f, 0.5744425f, 0.3100255f, 0.6899745f })]
    [InlineData("SOFTMAX", new[] { 0, 1 }, new[] { 0.7f, 0.3f, 0.2f, 0.8f })]
    [InlineData("PROBIT", new[] { 0, 1 }, new[] { -0.5244459f, 0f, 0.8417561f, 0f })]
    public void Binary_with_one_positive_score_writes_its_complement(string transform, int[] classes, float[] expected)
    {
        // Only class 0 gets votes (0.3 and 0.8), all positive: the score is P(class 1), class 1 wins above 0.5.
        AssertClassifier(OneSplit(2, [0, 0], [0.3, 0.8], transform, []), classes, expected);
    }

    [Theory]
    [InlineData("NONE", new[] { 0, 1 }, new[] { 0.3f, -0.3f, -0.8f, 0.8f })]
    [InlineData("LOGISTIC", new[] { 0, 1 }, new[] { 0.5744425f, 0.4255575f, 0.3100255f, 0.6899745f })]
    public void Binary_with_one_mixed_sign_score_writes_its_negation(string transform, int[] classes, float[] expected)
    {
        AssertClassifier(OneSplit(2, [0, 0], [-0.3, 0.8], transform, []), classes, expected);
    }

    [Fact]
    public void Binary_with_a_single_base_value_adds_it_to_the_score()
    {
        // scikit-learn gradient boosting: log-odds prior as one base value, LOGISTIC.
        AssertClassifier(OneSplit(2, [0, 0], [-0.3, 0.8], "LOGISTIC", [0.25]), [0, 1], [0.5124974f, 0.4875026f, 0.25922513f, 0.74077487f]);
    }

    [Fact]
    public void Binary_with_votes_for_class_one_only_leaves_column_zero_empty()
    {
        AssertClassifier(OneSplit(2, [1, 1], [0.3, 0.8], "NONE", []), [0, 1], [0f, 0.3f, 0f, 0.8f]);
        AssertClassifier(OneSplit(2, [1, 1], [0.3, 0.8], "SOFTMAX", []), [0, 1], [0.42555746f, 0.5744425f, 0.31002554f, 0.6899745f]);
    }

    [Fact]
    public void Binary_with_votes_for_class_one_and_two_base_values_adds_class_ones_base()
    {
        // Specification reading: ONNX Runtime 1.30 adds base_values[1] to class 0's (empty) score here and so drops
        // the trees' votes ([0, 0.5] for both rows); the base value of the voted class is added instead.
        AssertClassifier(OneSplit(2, [1, 1], [-0.3, 0.8], "NONE", [0.25, 0.5]), [1, 1], [0f, 0.2f, 0f, 1.3f]);
    }

    [Fact]
    public void Two_classes_that_both_get_votes_pick_the_higher_score()
    {
        // Specification reading: ONNX Runtime 1.30 answers the literal labels 1 and 0 here (whether class 1's score
        // is positive) rather than a class of the model; the scores agree.
        var lists = new TreeNodeLists(
            [0, 0, 0], [0, 1, 2], [0, 0, 0], ["BRANCH_LEQ", "LEAF", "LEAF"], [0.5, 0, 0], [], [1, 0, 0], [2, 0, 0],
            [0, 0, 0, 0], [1, 1, 2, 2], [0, 1, 0, 1], [0.7, 0.3, 0.2, 0.8]);
        var definition = TreeEnsembleDefinition.FromNodeLists(lists, 2, TreeAggregate.Sum, PostTransform.Softmax, [], false);
        AssertClassifier(definition, [0, 1], [0.5986877f, 0.40131232f, 0.35434368f, 0.6456563f]);
    }

    [Fact]
    public void Classes_without_votes_or_base_values_do_not_compete_for_the_label()
    {
        // Three classes, only class 1 voted (-0.3, 0.8): it wins both rows though its first score is negative.
        AssertClassifier(OneSplit(3, [1, 1], [-0.3, 0.8], "NONE", []), [1, 1], [0f, -0.3f, 0f, 0f, 0.8f, 0f]);
        AssertClassifier(OneSplit(3, [1, 1], [-0.3, 0.8], "NONE", [0.1, 0.2, 0.3]), [2, 1], [0.1f, -0.1f, 0.3f, 0.1f, 1f, 0.3f]);
    }

    [Theory]
    [InlineData(TreeAggregate.Sum, new[] { 111f, 0f, 122f, 195f })]
    [InlineData(TreeAggregate.Average, new[] { 105.5f, 0f, 111f, 197.5f })]
    [InlineData(TreeAggregate.Min, new[] { 101f, 0f, 102f, 195f })]
    [InlineData(TreeAggregate.Max, new[] { 110f, 0f, 120f, 195f })]
    public void Regression_targets_no_tree_voted_for_read_zero_even_with_a_base_value(TreeAggregate aggregate, float[] expected)
    {
        // Tree 0 votes 1 / 2 for target 0; tree 1 votes 10 / 20 for target 0 and -5 for target 1 on its false leaf.
        var lists = new TreeNodeLists(
            [0, 0, 0, 1, 1, 1], [0, 1, 2, 0, 1, 2], [0, 0, 0, 0, 0, 0], ["BRANCH_LEQ", "LEAF", "LEAF", "BRANCH_LEQ", "LEAF", "LEAF"],
            [0.5, 0, 0, 0.5, 0, 0], [], [1, 0, 0, 1, 0, 0], [2, 0, 0, 2, 0, 0],
            [0, 0, 1, 1, 1], [1, 2, 1, 2, 2], [0, 0, 0, 0, 1], [1.0, 2.0, 10.0, 20.0, -5.0]);
        var definition = TreeEnsembleDefinition.FromNodeLists(lists, 2, aggregate, PostTransform.None, [100.0, 200.0], false);
        Assert.Equal(expected, Regress(definition, 2));
    }

    [Theory]
    [InlineData("NONE", new[] { 0.11f, 0.22f })]
    [InlineData("LOGISTIC", new[] { 0.11f, 0.22f })]
    [InlineData("SOFTMAX", new[] { 0.11f, 0.22f })]
    [InlineData("PROBIT", new[] { -1.2267047f, -0.77230716f })]
    public void A_single_target_only_takes_the_probit_transform(string transform, float[] expected)
    {
        var lists = new TreeNodeLists(
            [0, 0, 0, 1, 1, 1], [0, 1, 2, 0, 1, 2], [0, 0, 0, 0, 0, 0], ["BRANCH_LEQ", "LEAF", "LEAF", "BRANCH_LEQ", "LEAF", "LEAF"],
            [0.5, 0, 0, 0.5, 0, 0], [], [1, 0, 0, 1, 0, 0], [2, 0, 0, 2, 0, 0],
            [0, 0, 1, 1], [1, 2, 1, 2], [0, 0, 0, 0], [0.1, 0.2, 0.01, 0.02]);
        var definition = TreeEnsembleDefinition.FromNodeLists(lists, 1, TreeAggregate.Sum, PostTransforms.Parse(transform), [], false);
        var actual = Regress(definition, 1);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5f);
        }
    }

    private static TreeEnsembleDefinition OneSplit(int classes, long[] classIds, double[] weights, string transform, double[] bases)
    {
        var lists = new TreeNodeLists(
            [0, 0, 0], [0, 1, 2], [0, 0, 0], ["BRANCH_LEQ", "LEAF", "LEAF"], [0.5, 0, 0], [], [1, 0, 0], [2, 0, 0],
            [0, 0], [1, 2], classIds, weights);
        return TreeEnsembleDefinition.FromNodeLists(lists, classes, TreeAggregate.Sum, PostTransforms.Parse(transform), bases, false);
    }

    private static float[] Regress(TreeEnsembleDefinition definition, int targets)
    {
        var scorer = new TreeEnsembleScorer<float>(definition);
        var (sums, voted) = TreeEnsembleScorerTests.Score(scorer, [0f, 1f], 2, 1, targets);
        var output = new float[2 * targets];
        TreeEnsembleOutputs.WriteRegression<float, float>(definition, sums, voted, 2, output);
        return output;
    }

    private static void AssertClassifier(TreeEnsembleDefinition definition, int[] classes, float[] expected)
    {
        var rules = new TreeClassifierRules(definition);
        var scorer = new TreeEnsembleScorer<float>(definition);
        var (sums, voted) = TreeEnsembleScorerTests.Score(scorer, [0f, 1f], 2, 1, rules.ClassCount);
        var scores = new float[2 * rules.ClassCount];
        var labels = new int[2];
        rules.Write<float>(sums, voted, 2, scores, labels);
        Assert.Equal(classes, labels);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], scores[i], 1e-5f);
        }
    }
}
