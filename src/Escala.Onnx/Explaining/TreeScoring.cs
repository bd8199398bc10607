using Escala.Onnx.Ml;
using Escala.Onnx.Ml.Trees;
using Escala.Onnx.Protobuf;

namespace Escala.Onnx.Explaining;

/// <summary>
/// A tree-ensemble scoring node in margin space: quantity q is <c>scale·Σ_trees vote(target_q) + base_q</c> (scale
/// 1/T for AVERAGE), before the post transform, read with the same <see cref="TreeEnsembleDefinition"/> the engine
/// scores with. Which column carries a class's score follows <see cref="TreeClassifierRules"/> (a binary model that
/// only votes for class 0 writes its score as class 1's).
/// </summary>
internal sealed class TreeScoring : ScoringModel
{
    private TreeScoring(NodeProto node, IReadOnlyList<ScoredQuantity> quantities, TreeEnsembleDefinition definition, int[] targets, double[] bases, double[]? cover)
        : base(node, quantities)
    {
        Definition = definition;
        Targets = targets;
        Bases = bases;
        Cover = cover;
        Scale = definition.Aggregate == TreeAggregate.Average ? 1.0 / definition.TreeCount : 1.0;
    }

    /// <summary>The ensemble.</summary>
    public TreeEnsembleDefinition Definition { get; }

    /// <summary>The target whose votes make each quantity.</summary>
    public int[] Targets { get; }

    /// <summary>The base value added to each quantity.</summary>
    public double[] Bases { get; }

    /// <summary>The factor applied to the votes (1, or 1/T for AVERAGE).</summary>
    public double Scale { get; }

    /// <summary>Training cover (hit rate) per node, when the model carries it; enables path-dependent TreeSHAP.</summary>
    public double[]? Cover { get; }

    public static TreeScoring? Read(NodeProto node, out string reason)
    {
        reason = "";
        var a = new NodeAttributeReader(node);
        if (node.OpType == "TreeEnsemble")
        {
            return ReadOpset5(node, a, out reason);
        }

        var classifier = node.OpType == "TreeEnsembleClassifier";
        var prefix = classifier ? "class" : "target";
        var (values, valuesDouble) = a.FloatsOrTensor("nodes_values", "nodes_values_as_tensor");
        var (weights, weightsDouble) = a.FloatsOrTensor($"{prefix}_weights", $"{prefix}_weights_as_tensor");
        var (bases, basesDouble) = a.FloatsOrTensor("base_values", "base_values_as_tensor");
        var voteTargets = a.Ints($"{prefix}_ids");
        var lists = new TreeNodeLists(
            a.Ints("nodes_treeids"), a.Ints("nodes_nodeids"), a.Ints("nodes_featureids"), a.Strings("nodes_modes"),
            values ?? throw new FormatException("nodes_values is missing"), a.Ints("nodes_missing_value_tracks_true"),
            a.Ints("nodes_truenodeids"), a.Ints("nodes_falsenodeids"), a.Ints($"{prefix}_treeids"), a.Ints($"{prefix}_nodeids"),
            voteTargets, weights ?? []);
        var labels = classifier ? ClassLabels(a, "classlabels_int64s", "classlabels_strings") : [];
        var count = classifier ? labels.Length : (int)a.Int("n_targets", voteTargets.Length == 0 ? 1 : voteTargets.Max() + 1);
        var definition = TreeEnsembleDefinition.FromNodeLists(
            lists, count, classifier ? TreeAggregate.Sum : TreeAggregates.Parse(a.String("aggregate_function", "SUM")),
            PostTransforms.Parse(a.String("post_transform", "NONE")), bases ?? [], valuesDouble || weightsDouble || basesDouble);
        if (definition.Aggregate is TreeAggregate.Min or TreeAggregate.Max)
        {
            reason = $"its trees are combined with {definition.Aggregate.ToString().ToUpperInvariant()}, which is not a sum of per-tree values";
            return null;
        }

        // nodes_hitrates is listed per node in the order of nodes_*, which is the definition's node order.
        var hitrates = a.Floats("nodes_hitrates");
        var cover = hitrates is { Length: > 0 } h && h.Length == definition.Nodes.Count && h.All(v => v >= 0 && double.IsFinite(v)) ? h : null;
        var (quantities, targets, baseOf) = classifier
            ? ClassifierQuantities(node, definition, labels)
            : RegressorQuantities(node, definition);
        return new TreeScoring(node, quantities, definition, targets, baseOf, cover);
    }

    private static TreeScoring? ReadOpset5(NodeProto node, NodeAttributeReader a, out string reason)
    {
        reason = "";
        var splits = a.Tensor("nodes_splits") ?? throw new FormatException("nodes_splits is missing");
        var leafWeights = a.Tensor("leaf_weights") ?? throw new FormatException("leaf_weights is missing");
        var modes = a.Tensor("nodes_modes") ?? throw new FormatException("nodes_modes is missing");
        var leafTargets = a.Ints("leaf_targetids");
        var lists = new TreeEnsembleOpset5Lists(
            a.Ints("nodes_featureids"), splits.Values, [.. modes.Values.Select(m => (int)m)], a.Ints("nodes_truenodeids"),
            a.Ints("nodes_falsenodeids"), a.Ints("nodes_trueleafs"), a.Ints("nodes_falseleafs"), a.Ints("nodes_missing_value_tracks_true"),
            a.Ints("tree_roots"), a.Tensor("membership_values")?.Values ?? [], leafTargets, leafWeights.Values,
            (int)a.Int("n_targets", leafTargets.Length == 0 ? 1 : leafTargets.Max() + 1), a.Int("aggregate_function", 1), a.Int("post_transform", 0));
        var definition = TreeEnsembleDefinition.FromOpset5(lists, splits.Type == Tensors.ElementType.Double);
        if (definition.Aggregate is TreeAggregate.Min or TreeAggregate.Max)
        {
            reason = $"its trees are combined with {definition.Aggregate.ToString().ToUpperInvariant()}, which is not a sum of per-tree values";
            return null;
        }

        var (quantities, targets, bases) = RegressorQuantities(node, definition);
        return new TreeScoring(node, quantities, definition, targets, bases, null);
    }

    private static (ScoredQuantity[], int[], double[]) RegressorQuantities(NodeProto node, TreeEnsembleDefinition definition)
    {
        var n = definition.TargetCount;
        var bases = definition.BaseValues;
        var quantities = new ScoredQuantity[n];
        var targets = new int[n];
        var baseOf = new double[n];
        for (var k = 0; k < n; k++)
        {
            quantities[k] = new ScoredQuantity(node.Output[0], null, k);
            targets[k] = k;
            baseOf[k] = n == 1 ? (bases.Count == 1 ? bases[0] : 0) : (bases.Count == n ? bases[k] : 0);
        }

        return (quantities, targets, baseOf);
    }

    private static (ScoredQuantity[], int[], double[]) ClassifierQuantities(NodeProto node, TreeEnsembleDefinition definition, string[] labels)
    {
        var output = node.Output.Count > 1 ? node.Output[1] : node.Output[0];
        var bases = definition.BaseValues;
        var voted = definition.VotedTargets;
        string Label(int k) => k < labels.Length ? labels[k] : k.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (definition.TargetCount == 2 && voted.Count == 1)
        {
            // The binary encodings of TreeClassifierRules: one score, written as class 1's unless it is class 0's
            // own column (two base values) or class 1 is the one voted for.
            var target = voted.Contains(0) ? 0 : 1;
            var column = target == 1 || bases.Count != 2 ? 1 : 0;
            var origin = bases.Count == 2 ? bases[target] : target == 0 && bases.Count == 1 ? bases[0] : 0;
            return ([new ScoredQuantity(output, Label(column), column)], [target], [origin]);
        }

        var classes = Enumerable.Range(0, definition.TargetCount).Where(k => voted.Contains(k) || k < bases.Count).ToArray();
        return (
            [.. classes.Select(k => new ScoredQuantity(output, Label(k), k))],
            classes,
            [.. classes.Select(k => k < bases.Count ? bases[k] : 0)]);
    }
}
