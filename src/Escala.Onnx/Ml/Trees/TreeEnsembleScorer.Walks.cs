using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Escala.Onnx.Ml.Trees;

// TreeEnsembleScorer, part: The lock-step walks of the fast layouts: rows (or, for one row, trees) as independent lanes, one level per pass.
public sealed partial class TreeEnsembleScorer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private void FindLeavesFast<TNan>(ReadOnlySpan<T> block, int count, int features, Span<int> leaves)
        where TNan : struct, INanRouting
    {
        var nodes = _fast!;
        if (_splits is not null)
        {
            FindLeavesPerfect<TNan>(block, count, features, leaves);
            return;
        }

        if (count >= RowLaneThreshold)
        {
            for (var t = 0; t < _roots.Length; t++)
            {
                WalkRows<TNan>(nodes, _roots[t], _depths[t], block, count, features, leaves.Slice(t * BlockRows, count));
            }

            return;
        }

        for (var r = 0; r < count; r++)
        {
            var row = block.Slice(r * features, features);
            for (var g = 0; g < _groupDepths.Length; g++)
            {
                WalkTrees<TNan>(nodes, g, row, leaves, r);
            }
        }
    }

    /// <summary>Walks one tree for up to 16 rows in lock step, one level per pass, with a branch-free select.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WalkRows<TNan>(FastTreeNode<T>[] nodes, int root, int depth, ReadOnlySpan<T> block, int count, int features, Span<int> result)
        where TNan : struct, INanRouting
    {
        // The walk runs in place in the caller's leaf buffer for this tree: no copy, no stack buffer.
        var at = result[..count];
        at.Fill(root);
        ref var node0 = ref MemoryMarshal.GetArrayDataReference(nodes);
        ref var x0 = ref MemoryMarshal.GetReference(block);
        ref var at0 = ref MemoryMarshal.GetReference(at);
        for (var level = 0; level < depth; level++)
        {
            // Leaves point to themselves, so a pass where no row moves means every row has reached its leaf:
            // unbalanced trees (XGBoost, random forests) stop at the block's deepest path, not the tree's.
            var moved = 0;
            var offset = 0;
            for (var r = 0; r < count; r++, offset += features)
            {
                ref var slot = ref Unsafe.Add(ref at0, r);
                ref readonly var node = ref Unsafe.Add(ref node0, slot);
                var left = node.Left;
                var right = node.Right;
                var mask = -(int)Unsafe.BitCast<bool, byte>(TNan.GoesRight(Unsafe.Add(ref x0, offset + node.Feature), node.Threshold));
                var next = left ^ ((left ^ right) & mask);
                moved |= next ^ slot;
                slot = next;
            }

            if (moved == 0)
            {
                break;
            }
        }
    }

    /// <summary>Walks a group of up to 8 trees for one row in lock step (the single-row counterpart of <see cref="WalkRows"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WalkTrees<TNan>(FastTreeNode<T>[] nodes, int group, ReadOnlySpan<T> row, Span<int> leaves, int r)
        where TNan : struct, INanRouting
    {
        var first = group * TreeLanes;
        var lanes = Math.Min(TreeLanes, _roots.Length - first);
        Span<int> at = stackalloc int[TreeLanes];
        _roots.AsSpan(first, lanes).CopyTo(at);
        ref var node0 = ref MemoryMarshal.GetArrayDataReference(nodes);
        ref var x0 = ref MemoryMarshal.GetReference(row);
        ref var at0 = ref MemoryMarshal.GetReference(at);
        var depth = _groupDepths[group];
        for (var level = 0; level < depth; level++)
        {
            var moved = 0;
            for (var l = 0; l < lanes; l++)
            {
                ref var slot = ref Unsafe.Add(ref at0, l);
                ref readonly var node = ref Unsafe.Add(ref node0, slot);
                var left = node.Left;
                var right = node.Right;
                var mask = -(int)Unsafe.BitCast<bool, byte>(TNan.GoesRight(Unsafe.Add(ref x0, node.Feature), node.Threshold));
                var next = left ^ ((left ^ right) & mask);
                moved |= next ^ slot;
                slot = next;
            }

            if (moved == 0)
            {
                break;
            }
        }

        for (var l = 0; l < lanes; l++)
        {
            leaves[((first + l) * BlockRows) + r] = at[l];
        }
    }

    private void FindLeavesPerfect<TNan>(ReadOnlySpan<T> block, int count, int features, Span<int> leaves)
        where TNan : struct, INanRouting
    {
        var splits = _splits!;
        var splitStart = _splitStart!;
        var perfectLeaves = _perfectLeaves!;
        var leafStart = _perfectLeafStart!;
        Span<int> at = stackalloc int[BlockRows];
        if (count >= RowLaneThreshold)
        {
            for (var t = 0; t < _roots.Length; t++)
            {
                var depth = _depths[t];
                if (depth == 0)
                {
                    // A tree that is one leaf (XGBoost writes many): every row reaches it.
                    leaves.Slice(t * BlockRows, count).Fill(perfectLeaves[leafStart[t]]);
                    continue;
                }

                at[..count].Clear();
                WalkPerfectRows<TNan>(splits, splitStart[t], depth, block, count, features, at);
                var first = leafStart[t] - ((1 << depth) - 1);
                var result = leaves.Slice(t * BlockRows, count);
                for (var r = 0; r < count; r++)
                {
                    result[r] = perfectLeaves[first + at[r]];
                }
            }

            return;
        }

        for (var r = 0; r < count; r++)
        {
            var row = block.Slice(r * features, features);
            for (var t0 = 0; t0 < _roots.Length; t0 += TreeLanes)
            {
                var lanes = Math.Min(TreeLanes, _roots.Length - t0);
                WalkPerfectTrees<TNan>(splits, splitStart.AsSpan(t0, lanes), _depths.AsSpan(t0, lanes), row, at);
                for (var l = 0; l < lanes; l++)
                {
                    var t = t0 + l;
                    leaves[(t * BlockRows) + r] = perfectLeaves[leafStart[t] - ((1 << _depths[t]) - 1) + at[l]];
                }
            }
        }
    }

    /// <summary>Walks one complete tree for up to 16 rows in lock step; <paramref name="at"/> ends at each row's node.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WalkPerfectRows<TNan>(PerfectSplit<T>[] splits, int start, int depth, ReadOnlySpan<T> block, int count, int features, Span<int> at)
        where TNan : struct, INanRouting
    {
        ref var split0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(splits), start);
        ref var x0 = ref MemoryMarshal.GetReference(block);
        ref var at0 = ref MemoryMarshal.GetReference(at);
        for (var level = 0; level < depth; level++)
        {
            var offset = 0;
            for (var r = 0; r < count; r++, offset += features)
            {
                ref var slot = ref Unsafe.Add(ref at0, r);
                var i = slot;
                ref readonly var split = ref Unsafe.Add(ref split0, i);
                var right = Unsafe.BitCast<bool, byte>(TNan.GoesRight(Unsafe.Add(ref x0, offset + split.Feature), split.Threshold));
                slot = (2 * i) + 1 + right;
            }
        }
    }

    /// <summary>Walks up to 8 complete trees for one row in lock step; trees of different depths stop at their own.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WalkPerfectTrees<TNan>(PerfectSplit<T>[] splits, ReadOnlySpan<int> starts, ReadOnlySpan<int> depths, ReadOnlySpan<T> row, Span<int> at)
        where TNan : struct, INanRouting
    {
        ref var splits0 = ref MemoryMarshal.GetArrayDataReference(splits);
        ref var x0 = ref MemoryMarshal.GetReference(row);
        var lanes = starts.Length;
        var maxDepth = 0;
        for (var l = 0; l < lanes; l++)
        {
            at[l] = 0;
            maxDepth = Math.Max(maxDepth, depths[l]);
        }

        for (var level = 0; level < maxDepth; level++)
        {
            for (var l = 0; l < lanes; l++)
            {
                if (level < depths[l])
                {
                    var i = at[l];
                    ref readonly var split = ref Unsafe.Add(ref splits0, starts[l] + i);
                    var right = Unsafe.BitCast<bool, byte>(TNan.GoesRight(Unsafe.Add(ref x0, split.Feature), split.Threshold));
                    at[l] = (2 * i) + 1 + right;
                }
            }
        }
    }
}
