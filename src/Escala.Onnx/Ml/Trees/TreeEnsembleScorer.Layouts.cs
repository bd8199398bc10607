using System.Numerics;
using System.Runtime.InteropServices;

namespace Escala.Onnx.Ml.Trees;

// TreeEnsembleScorer, part: Building the fast layouts from the definition's nodes.
public sealed partial class TreeEnsembleScorer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private (FastTreeNode<T>[]? Nodes, NanRouting Routing) BuildFastLayout(TreeNode[] nodes)
    {
        if (_definition.HasCategoricalNodes)
        {
            return (null, NanRouting.AllRight);
        }

        var fast = new FastTreeNode<T>[nodes.Length];
        var anyLeft = false;
        var anyRight = false;
        for (var i = 0; i < nodes.Length; i++)
        {
            var node = nodes[i];
            if (node.IsLeaf)
            {
                // Leaves point to themselves, so walking past a leaf (shorter branches of a tree walked for the
                // depth of its longest one) stays on it. Feature 0 is always readable.
                fast[i] = new FastTreeNode<T>(T.Zero, 0, i, i);
                continue;
            }

            var t = _threshold[i];
            if (T.IsNaN(t) || (T.IsNegativeInfinity(t) && node.Mode is BranchMode.Lt or BranchMode.Gte))
            {
                // A comparison that is constant for every number (against NaN, or "< -inf") cannot be written as
                // x <= t' with its NaN direction kept; such models are left to the general walk.
                return (null, NanRouting.AllRight);
            }

            // Rewrite to "x <= t' ? left : right" and note where NaN must go (left or right).
            var (threshold, left, right, nanLeft) = node.Mode switch
            {
                BranchMode.Leq => (t, node.TrueChild, node.FalseChild, node.MissingTracksTrue),
                BranchMode.Lt => (T.BitDecrement(t), node.TrueChild, node.FalseChild, node.MissingTracksTrue),
                BranchMode.Gte => (T.BitDecrement(t), node.FalseChild, node.TrueChild, !node.MissingTracksTrue),
                _ => (t, node.FalseChild, node.TrueChild, !node.MissingTracksTrue), // Gt
            };
            fast[i] = new FastTreeNode<T>(threshold, node.Feature, left, right);
            anyLeft |= nanLeft;
            anyRight |= !nanLeft;
        }

        var routing = anyLeft && anyRight ? NanRouting.Mixed : anyLeft ? NanRouting.AllLeft : NanRouting.AllRight;
        return (fast, routing);
    }

    private (T[]? Dense, bool EveryLeafVotesEveryTarget) BuildDenseVotes(TreeNode[] nodes, int targets)
    {
        if (targets < 2 || targets > 64 || (long)nodes.Length * targets > 1 << 24)
        {
            return (null, false);
        }

        var dense = new T[nodes.Length * targets];
        var everyLeafVotesEveryTarget = true;
        for (var i = 0; i < nodes.Length; i++)
        {
            if (!nodes[i].IsLeaf)
            {
                continue;
            }

            ulong seen = 0;
            for (var k = _voteStart[i]; k < _voteStart[i] + _voteCount[i]; k++)
            {
                var bit = 1UL << _voteTarget[k];
                if ((seen & bit) != 0)
                {
                    // Two votes for one target on one leaf are added one after the other; pre-adding them could
                    // round differently, so such ensembles keep the vote-by-vote loop.
                    return (null, false);
                }

                seen |= bit;
                dense[(i * targets) + _voteTarget[k]] = _voteValue[k];
            }

            everyLeafVotesEveryTarget &= seen == (targets == 64 ? ulong.MaxValue : (1UL << targets) - 1);
        }

        return (dense, everyLeafVotesEveryTarget);
    }

    private bool FitsPerfectLayout(int nodeCount, bool dense)
    {
        // A padded tree costs 2^(d+1) - 1 slots and every row walks all d levels of it, where the explicit layout
        // stops at the deepest path a block of rows takes. Padding pays only for (nearly) complete trees, as
        // gradient boosting with a fixed depth grows them; sparse trees (XGBoost, random forests) stay explicit.
        long slots = 0;
        foreach (var depth in _depths)
        {
            if (depth > MaxPerfectDepth)
            {
                return false;
            }

            slots += (2L << depth) - 1;
        }

        return !dense || slots <= nodeCount + (nodeCount / 4);
    }

    private (PerfectSplit<T>[] Splits, int[] SplitStart, int[] Leaves, int[] LeafStart) BuildPerfectLayout(FastTreeNode<T>[] fast)
    {
        var trees = _roots.Length;
        var splitStart = new int[trees];
        var leafStart = new int[trees];
        int splitCount = 0, leafCount = 0;
        for (var t = 0; t < trees; t++)
        {
            splitStart[t] = splitCount;
            leafStart[t] = leafCount;
            splitCount += (1 << _depths[t]) - 1;
            leafCount += 1 << _depths[t];
        }

        var splits = new PerfectSplit<T>[splitCount];
        var leaves = new int[leafCount];
        for (var t = 0; t < trees; t++)
        {
            var depth = _depths[t];
            var internalCount = (1 << depth) - 1;
            Place(_roots[t], 0, 0);

            void Place(int node, int slot, int level)
            {
                var n = fast[node];
                if (level == depth)
                {
                    leaves[leafStart[t] + slot - internalCount] = node;
                    return;
                }

                // A leaf above the bottom becomes a split whose two sides are that same leaf.
                var isLeaf = n.Left == node;
                splits[splitStart[t] + slot] = isLeaf ? new PerfectSplit<T>(T.Zero, 0) : new PerfectSplit<T>(n.Threshold, n.Feature);
                Place(isLeaf ? node : n.Left, (2 * slot) + 1, level + 1);
                Place(isLeaf ? node : n.Right, (2 * slot) + 2, level + 1);
            }
        }

        return (splits, splitStart, leaves, leafStart);
    }
}

/// <summary>A split of the perfect layout: go to the left child (2i+1) when <c>x[Feature] &lt;= Threshold</c>, else right (2i+2).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct PerfectSplit<T>(T Threshold, int Feature)
    where T : unmanaged;

/// <summary>A node of the fast layout: go to <see cref="Left"/> when <c>x[Feature] &lt;= Threshold</c>, else <see cref="Right"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct FastTreeNode<T>(T Threshold, int Feature, int Left, int Right)
    where T : unmanaged;
