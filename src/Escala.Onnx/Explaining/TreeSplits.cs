using Escala.Onnx.Ml.Trees;

namespace Escala.Onnx.Explaining;

/// <summary>
/// The direction a row takes at a tree node, decided exactly as the engine's scorer decides it: in single precision
/// unless the model or its input is double, with a NaN taking the true branch only where the node says so.
/// </summary>
internal readonly struct TreeSplits(TreeEnsembleDefinition definition, bool singlePrecision)
{
    private readonly IReadOnlyList<double> _members = definition.Members;

    public bool GoesTrue(in TreeNode node, double value)
    {
        if (double.IsNaN(value))
        {
            // NaN fails every comparison; NEQ holds for it (as in the scorer), and a node may send it to the true side.
            return node.MissingTracksTrue || node.Mode == BranchMode.Neq;
        }

        double v = value, t = node.Threshold;
        if (singlePrecision)
        {
            v = (float)v;
            t = (float)t;
        }

        return node.Mode switch
        {
            BranchMode.Leq => v <= t,
            BranchMode.Lt => v < t,
            BranchMode.Gte => v >= t,
            BranchMode.Gt => v > t,
            BranchMode.Eq => v == t,
            BranchMode.Neq => v != t,
            _ => IsMember(node, v),
        };
    }

    public int Next(in TreeNode node, double value) => GoesTrue(node, value) ? node.TrueChild : node.FalseChild;

    /// <summary>The leaf a row reaches from <paramref name="root"/>.</summary>
    public int Leaf(IReadOnlyList<TreeNode> nodes, int root, ReadOnlySpan<double> row)
    {
        var i = root;
        while (!nodes[i].IsLeaf)
        {
            var node = nodes[i];
            i = Next(node, row[node.Feature]);
        }

        return i;
    }

    private bool IsMember(in TreeNode node, double v)
    {
        for (var k = node.Start; k < node.Start + node.Count; k++)
        {
            var m = singlePrecision ? (float)_members[k] : _members[k];
            if (m == v)
            {
                return true;
            }
        }

        return false;
    }
}
