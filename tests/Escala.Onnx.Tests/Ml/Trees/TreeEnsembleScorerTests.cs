using Escala.Onnx.Ml.Trees;

namespace Escala.Onnx.Tests.Ml.Trees;

public sealed class TreeEnsembleScorerTests
{
    private static readonly string[] OrderModes = ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT"];

    [Theory]
    [InlineData(0.0, 0.0)]   // scikit-learn style: no NaN anywhere
    [InlineData(0.0, 0.1)]   // NaN inputs, all go to the false branch
    [InlineData(1.0, 0.1)]   // XGBoost style: NaN always follows the true branch
    [InlineData(0.5, 0.1)]   // mixed per node
    public void Fast_layout_finds_the_same_leaves_as_the_general_walk(double missingTrueRate, double nanRate)
    {
        var random = new Random(7);
        foreach (var modes in new[] { OrderModes, ["BRANCH_LEQ"], ["BRANCH_LT"], ["BRANCH_GTE"], ["BRANCH_GT"] })
        {
            foreach (var rows in new[] { 1, 3, 16, 37 })
            {
                var lists = RandomTrees.Lists(random, trees: 23, maxDepth: 6, features: 5, targets: 3, modes, missingTrueRate, votesPerLeaf: 2);
                var definition = RandomTrees.Definition(lists, 3);
                var x = RandomTrees.Rows(random, rows, 5, nanRate);
                var general = new TreeEnsembleScorer<float>(definition, TreeLayout.General);
                Assert.False(general.UsesFastLayout);
                var (generalScores, generalVoted) = Score(general, x, rows, 5, 3);
                foreach (var layout in new[] { TreeLayout.Explicit, TreeLayout.Perfect })
                {
                    var fast = new TreeEnsembleScorer<float>(definition, layout);
                    Assert.True(fast.UsesFastLayout);
                    Assert.Equal(layout == TreeLayout.Perfect, fast.UsesPerfectLayout);
                    var (fastScores, fastVoted) = Score(fast, x, rows, 5, 3);
                    Assert.Equal(generalScores, fastScores);
                    Assert.Equal(generalVoted, fastVoted);
                }
            }
        }
    }

    [Theory]
    [InlineData(1, TreeAggregate.Sum)]
    [InlineData(2, TreeAggregate.Sum)]
    [InlineData(1, TreeAggregate.Average)]
    [InlineData(2, TreeAggregate.Min)]
    [InlineData(1, TreeAggregate.Max)]
    public void Scores_equal_a_direct_walk_of_the_attribute_lists(int votesPerLeaf, TreeAggregate aggregate)
    {
        // An independent oracle: walk the attribute lists themselves (node ids, modes, tracks) and combine the votes.
        var random = new Random(votesPerLeaf + (int)aggregate);
        string[] modes = ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ"];
        foreach (var modeSet in new[] { modes, modes[..4] })
        {
            var lists = RandomTrees.Lists(random, trees: 17, maxDepth: 5, features: 4, targets: 3, modeSet, 0.4, votesPerLeaf);
            var definition = RandomTrees.Definition(lists, 3, aggregate);
            var x = RandomTrees.Rows(random, 29, 4, 0.1);
            var (scores, voted) = Score(new TreeEnsembleScorer<float>(definition), x, 29, 4, 3);
            for (var r = 0; r < 29; r++)
            {
                var (expected, has) = DirectWalk(lists, x.AsSpan(r * 4, 4), 3, aggregate);
                Assert.Equal(has, voted.AsSpan(r * 3, 3).ToArray());
                Assert.Equal(expected, scores.AsSpan(r * 3, 3).ToArray());
            }
        }
    }

    [Fact]
    public void Fast_layout_in_double_matches_the_general_walk_on_values_between_floats()
    {
        var random = new Random(11);
        var lists = RandomTrees.Lists(random, trees: 40, maxDepth: 7, features: 4, targets: 1, OrderModes, missingTrueRate: 0.3);
        var definition = RandomTrees.Definition(lists, 1);
        var x = RandomTrees.Rows(random, 50, 4, nanRate: 0.05).Select(v => (double)v).ToArray();
        for (var i = 0; i < x.Length; i += 3)
        {
            // Just above and below a float threshold: only exact double comparisons route these right.
            x[i] = double.IsNaN(x[i]) ? x[i] : x[i] + ((i % 2 == 0 ? 1 : -1) * 1e-12);
        }

        var (general, _) = Score(new TreeEnsembleScorer<double>(definition, TreeLayout.General), x, 50, 4, 1);
        Assert.Equal(general, Score(new TreeEnsembleScorer<double>(definition, TreeLayout.Explicit), x, 50, 4, 1).Scores);
        Assert.Equal(general, Score(new TreeEnsembleScorer<double>(definition, TreeLayout.Perfect), x, 50, 4, 1).Scores);
    }

    [Theory]
    [InlineData("BRANCH_LEQ", 0, new[] { 1.0, 1, 2, 2 })]
    [InlineData("BRANCH_LEQ", 1, new[] { 1.0, 1, 2, 1 })]
    [InlineData("BRANCH_LT", 0, new[] { 1.0, 2, 2, 2 })]
    [InlineData("BRANCH_LT", 1, new[] { 1.0, 2, 2, 1 })]
    [InlineData("BRANCH_GTE", 0, new[] { 2.0, 1, 1, 2 })]
    [InlineData("BRANCH_GTE", 1, new[] { 2.0, 1, 1, 1 })]
    [InlineData("BRANCH_GT", 0, new[] { 2.0, 2, 1, 2 })]
    [InlineData("BRANCH_GT", 1, new[] { 2.0, 2, 1, 1 })]
    [InlineData("BRANCH_EQ", 0, new[] { 2.0, 1, 2, 2 })]
    [InlineData("BRANCH_EQ", 1, new[] { 2.0, 1, 2, 1 })]
    [InlineData("BRANCH_NEQ", 0, new[] { 1.0, 2, 1, 1 })]
    [InlineData("BRANCH_NEQ", 1, new[] { 1.0, 2, 1, 1 })]
    public void Each_branch_mode_routes_below_on_above_and_NaN_as_ONNX_Runtime_does(string mode, long missingTracksTrue, double[] expected)
    {
        // One split at 0.5: true leaf votes 1, false leaf votes 2. Inputs 0, 0.5, 1, NaN. Expected values were
        // checked against ONNX Runtime 1.30 (TreeEnsembleRegressor, same attributes) with ort-reference.mjs.
        var lists = new TreeNodeLists(
            [0, 0, 0], [0, 1, 2], [0, 0, 0], [mode, "LEAF", "LEAF"], [0.5, 0, 0], [missingTracksTrue, 0, 0], [1, 0, 0], [2, 0, 0],
            [0, 0], [1, 2], [0, 0], [1.0, 2.0]);
        var definition = RandomTrees.Definition(lists, 1);
        float[] x = [0f, 0.5f, 1f, float.NaN];
        foreach (var layout in Enum.GetValues<TreeLayout>())
        {
            var (scores, _) = Score(new TreeEnsembleScorer<float>(definition, layout), x, 4, 1, 1);
            Assert.Equal(expected, scores.Select(v => (double)v));
        }
    }

    [Fact]
    public void Deep_unbalanced_trees_keep_explicit_children_and_match_the_general_walk()
    {
        var random = new Random(3);
        var lists = RandomTrees.Lists(random, trees: 5, maxDepth: TreeEnsembleScorer<float>.MaxPerfectDepth + 6, features: 6, targets: 2, OrderModes, 0.2);
        var definition = RandomTrees.Definition(lists, 2);
        var auto = new TreeEnsembleScorer<float>(definition);
        Assert.True(auto.UsesFastLayout);
        Assert.False(auto.UsesPerfectLayout);
        var x = RandomTrees.Rows(random, 40, 6, 0.05);
        Assert.Equal(
            Score(new TreeEnsembleScorer<float>(definition, TreeLayout.General), x, 40, 6, 2).Scores,
            Score(auto, x, 40, 6, 2).Scores);
    }

    [Fact]
    public void Equality_and_membership_nodes_use_the_general_walk()
    {
        var lists = new TreeNodeLists(
            [0, 0, 0], [0, 1, 2], [0, 0, 0], ["BRANCH_EQ", "LEAF", "LEAF"], [3, 0, 0], [], [1, 0, 0], [2, 0, 0],
            [0, 0], [1, 2], [0, 0], [10.0, 20.0]);
        var scorer = new TreeEnsembleScorer<float>(RandomTrees.Definition(lists, 1));
        Assert.False(scorer.UsesFastLayout);
        var (scores, _) = Score(scorer, [3f, 4f], 2, 1, 1);
        Assert.Equal([10f, 20f], scores);
    }

    [Fact]
    public void Min_and_max_keep_the_extreme_vote_and_average_sums_until_the_outputs()
    {
        // Two trees; row 0 reaches votes 1 and 10, row 1 reaches 2 and 20 (checked against ONNX Runtime 1.30).
        var lists = new TreeNodeLists(
            [0, 0, 0, 1, 1, 1], [0, 1, 2, 0, 1, 2], [0, 0, 0, 0, 0, 0], ["BRANCH_LEQ", "LEAF", "LEAF", "BRANCH_LEQ", "LEAF", "LEAF"],
            [0.5, 0, 0, 0.5, 0, 0], [], [1, 0, 0, 1, 0, 0], [2, 0, 0, 2, 0, 0],
            [0, 0, 1, 1], [1, 2, 1, 2], [0, 0, 0, 0], [1.0, 2.0, 10.0, 20.0]);
        float[] x = [0f, 1f];
        Assert.Equal([1f, 2f], Score(new TreeEnsembleScorer<float>(RandomTrees.Definition(lists, 1, TreeAggregate.Min)), x, 2, 1, 1).Scores);
        Assert.Equal([10f, 20f], Score(new TreeEnsembleScorer<float>(RandomTrees.Definition(lists, 1, TreeAggregate.Max)), x, 2, 1, 1).Scores);
        Assert.Equal([11f, 22f], Score(new TreeEnsembleScorer<float>(RandomTrees.Definition(lists, 1, TreeAggregate.Average)), x, 2, 1, 1).Scores);
    }

    [Fact]
    public void An_input_narrower_than_the_features_the_trees_read_is_refused()
    {
        var lists = new TreeNodeLists(
            [0, 0, 0], [0, 1, 2], [3, 0, 0], ["BRANCH_LEQ", "LEAF", "LEAF"], [0.5, 0, 0], [], [1, 0, 0], [2, 0, 0],
            [0, 0], [1, 2], [0, 0], [1.0, 2.0]);
        var scorer = new TreeEnsembleScorer<float>(RandomTrees.Definition(lists, 1));
        var error = Assert.Throws<ArgumentException>(() => Score(scorer, [0f, 0f], 1, 2, 1));
        Assert.Contains("feature 3", error.Message, StringComparison.Ordinal);
    }

    private static (float[] Scores, bool[] Voted) DirectWalk(TreeNodeLists lists, ReadOnlySpan<float> row, int targets, TreeAggregate aggregate)
    {
        var scores = new float[targets];
        var voted = new bool[targets];
        foreach (var tree in lists.TreeIds.Distinct())
        {
            var at = lists.TreeIds.Select((t, i) => (t, i)).First(p => p.t == tree).i;
            while (lists.Modes[at] != "LEAF")
            {
                var v = row[(int)lists.FeatureIds[at]];
                var t = (float)lists.Values[at];
                var go = lists.Modes[at] switch
                {
                    "BRANCH_LEQ" => v <= t,
                    "BRANCH_LT" => v < t,
                    "BRANCH_GTE" => v >= t,
                    "BRANCH_GT" => v > t,
                    "BRANCH_EQ" => v == t,
                    _ => v != t,
                } || (float.IsNaN(v) && lists.MissingTracksTrue[at] == 1);
                var next = go ? lists.TrueNodeIds[at] : lists.FalseNodeIds[at];
                at = Enumerable.Range(0, lists.NodeIds.Count).First(i => lists.TreeIds[i] == tree && lists.NodeIds[i] == next);
            }

            for (var k = 0; k < lists.Weights.Count; k++)
            {
                if (lists.WeightTreeIds[k] == tree && lists.WeightNodeIds[k] == lists.NodeIds[at])
                {
                    var target = (int)lists.WeightTargetIds[k];
                    var w = (float)lists.Weights[k];
                    scores[target] = aggregate switch
                    {
                        TreeAggregate.Min => voted[target] ? Math.Min(scores[target], w) : w,
                        TreeAggregate.Max => voted[target] ? Math.Max(scores[target], w) : w,
                        _ => scores[target] + w,
                    };
                    voted[target] = true;
                }
            }
        }

        return (scores, voted);
    }

    internal static (T[] Scores, bool[] Voted) Score<T>(TreeEnsembleScorer<T> scorer, T[] x, int rows, int features, int targets)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var scores = new T[rows * targets];
        var voted = new bool[rows * targets];
        scorer.Score(x, rows, features, scores, voted);
        return (scores, voted);
    }
}
