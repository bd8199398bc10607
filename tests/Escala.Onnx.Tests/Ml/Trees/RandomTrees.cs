using Escala.Onnx.Ml;
using Escala.Onnx.Ml.Trees;

namespace Escala.Onnx.Tests.Ml.Trees;

/// <summary>Random tree ensembles and rows for tests that compare two ways of evaluating the same trees.</summary>
internal static class RandomTrees
{
    /// <summary>Thresholds and inputs come from this small set so rows often land exactly on a threshold.</summary>
    public static readonly float[] Grid = [-2f, -1f, -0.5f, 0f, 0.25f, 0.5f, 1f, 3f];

    public static TreeNodeLists Lists(
        Random random, int trees, int maxDepth, int features, int targets, string[] modes, double missingTrueRate, int votesPerLeaf = 1)
    {
        var treeIds = new List<long>();
        var nodeIds = new List<long>();
        var featureIds = new List<long>();
        var nodeModes = new List<string>();
        var values = new List<double>();
        var missing = new List<long>();
        var trues = new List<long>();
        var falses = new List<long>();
        var wTree = new List<long>();
        var wNode = new List<long>();
        var wTarget = new List<long>();
        var weights = new List<double>();
        for (var t = 0; t < trees; t++)
        {
            var next = 0;
            Grow(t, 0);

            long Grow(int tree, int depth)
            {
                var id = next++;
                var at = treeIds.Count;
                treeIds.Add(tree);
                nodeIds.Add(id);
                // Leaves appear at random before the maximum depth, so trees are unbalanced.
                if (depth == maxDepth || (depth > 0 && random.NextDouble() < 0.2))
                {
                    featureIds.Add(0);
                    nodeModes.Add("LEAF");
                    values.Add(0);
                    missing.Add(0);
                    trues.Add(0);
                    falses.Add(0);
                    for (var v = 0; v < votesPerLeaf; v++)
                    {
                        wTree.Add(tree);
                        wNode.Add(id);
                        wTarget.Add(random.Next(targets));
                        weights.Add(Math.Round((random.NextDouble() * 4) - 2, 3));
                    }

                    return id;
                }

                featureIds.Add(random.Next(features));
                nodeModes.Add(modes[random.Next(modes.Length)]);
                values.Add(Grid[random.Next(Grid.Length)]);
                missing.Add(random.NextDouble() < missingTrueRate ? 1 : 0);
                trues.Add(0);
                falses.Add(0);
                trues[at] = Grow(tree, depth + 1);
                falses[at] = Grow(tree, depth + 1);
                return id;
            }
        }

        return new TreeNodeLists(treeIds, nodeIds, featureIds, nodeModes, values, missing, trues, falses, wTree, wNode, wTarget, weights);
    }

    public static float[] Rows(Random random, int rows, int features, double nanRate)
    {
        var x = new float[rows * features];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = random.NextDouble() < nanRate ? float.NaN
                : random.NextDouble() < 0.5 ? Grid[random.Next(Grid.Length)]
                : (float)((random.NextDouble() * 8) - 4);
        }

        return x;
    }

    public static TreeEnsembleDefinition Definition(TreeNodeLists lists, int targets, TreeAggregate aggregate = TreeAggregate.Sum) =>
        TreeEnsembleDefinition.FromNodeLists(lists, targets, aggregate, PostTransform.None, [], doublePrecision: false);
}
