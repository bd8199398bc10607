using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Escala.Onnx.Ml.Trees;

/// <summary>
/// Evaluates a <see cref="TreeEnsembleDefinition"/> on rows of <typeparamref name="T"/> (float or double): finds the
/// leaf each tree reaches for each row, then combines the leaves' votes per target with the ensemble's aggregate
/// function. Base values and the post transform are applied afterwards (<see cref="TreeEnsembleOutputs"/>).
/// </summary>
/// <remarks>
/// Two layouts of the same trees. The general one keeps every node kind (equality, set membership, per-node NaN
/// routing) and walks one row at a time; it is the reference the fast one is tested against. The fast one is used
/// when every split is an order comparison: each node is rewritten to the single form <c>x &lt;= t ? left : right</c>
/// (strict comparisons become non-strict against the next smaller threshold, which is exact for floating-point
/// inputs; "greater" modes swap their children), leaves point to themselves, and nodes sit in one array of 16-byte
/// structs. A block of rows (or, for one row, a group of trees) is then walked in lock step, one level at a time,
/// with a branch-free select per node: the rows' walks are independent, so the CPU overlaps their memory loads
/// instead of stalling on mispredicted branches, which is what dominates a conventional node-by-node walk.
/// </remarks>
public sealed class TreeEnsembleScorer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows walked together through one tree.</summary>
    internal const int BlockRows = 16;

    /// <summary>Trees walked together for a single row.</summary>
    private const int TreeLanes = 8;

    /// <summary>Below this many rows in a block, lanes run over trees instead of rows.</summary>
    private const int RowLaneThreshold = 4;

    private readonly TreeEnsembleDefinition _definition;

    // General layout, indexed like the definition's nodes.
    private readonly BranchMode[] _mode;
    private readonly int[] _feature;
    private readonly T[] _threshold;
    private readonly bool[] _missingTrue;
    private readonly int[] _trueChild;
    private readonly int[] _falseChild;
    private readonly int[] _memberStart;
    private readonly int[] _memberCount;
    private readonly T[] _members;

    // Leaf votes, indexed by the leaf's node index.
    private readonly int[] _voteStart;
    private readonly int[] _voteCount;
    private readonly int[] _voteTarget;
    private readonly T[] _voteValue;
    private readonly T[] _leafValue;
    private readonly int[] _leafTarget;
    private readonly bool _oneVotePerLeafOneTarget;
    private readonly bool _oneVotePerLeaf;

    // Random forests vote for every class at every leaf: those votes as one dense row of targets per leaf (0 where a
    // leaf has no vote), when no leaf votes twice for one target; and whether every leaf votes for every target.
    private readonly T[]? _denseVotes;
    private readonly bool _everyLeafVotesEveryTarget;

    private readonly int[] _roots;
    private readonly int[] _depths;
    private readonly int[] _groupDepths;

    // Fast layout (null when the ensemble has equality or membership splits, or thresholds the rewrite cannot map).
    private readonly FastTreeNode<T>[]? _fast;
    private readonly NanRouting _nanRouting;

    // Perfect layout of the same rewritten trees (null when the trees are too deep to pad): each tree grown to a
    // complete tree of its depth, splits in breadth-first order so the children of i are 2i+1 and 2i+2 and need
    // no storage, and its leaves in order, each naming the leaf of the definition it stands for.
    private readonly PerfectSplit<T>[]? _splits;
    private readonly int[]? _splitStart;
    private readonly int[]? _perfectLeaves;
    private readonly int[]? _perfectLeafStart;

    /// <summary>Compiles <paramref name="definition"/> for inputs of type <typeparamref name="T"/>.</summary>
    /// <param name="definition">The ensemble.</param>
    /// <param name="layout">Which layout to use; <see cref="TreeLayout.Auto"/> picks the fastest that can express the trees.</param>
    public TreeEnsembleScorer(TreeEnsembleDefinition definition, TreeLayout layout = TreeLayout.Auto)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _definition = definition;
        var nodes = definition.NodeArray;
        var n = nodes.Length;
        _mode = new BranchMode[n];
        _feature = new int[n];
        _threshold = new T[n];
        _missingTrue = new bool[n];
        _trueChild = new int[n];
        _falseChild = new int[n];
        _memberStart = new int[n];
        _memberCount = new int[n];
        _voteStart = new int[n];
        _voteCount = new int[n];
        _leafValue = new T[n];
        _leafTarget = new int[n];
        for (var i = 0; i < n; i++)
        {
            var node = nodes[i];
            _mode[i] = node.Mode;
            _feature[i] = node.Feature;
            _threshold[i] = T.CreateChecked(node.Threshold);
            _missingTrue[i] = node.MissingTracksTrue;
            _trueChild[i] = node.TrueChild;
            _falseChild[i] = node.FalseChild;
            if (node.IsLeaf)
            {
                _voteStart[i] = node.Start;
                _voteCount[i] = node.Count;
            }
            else if (node.Mode == BranchMode.Member)
            {
                _memberStart[i] = node.Start;
                _memberCount[i] = node.Count;
            }
        }

        _members = [.. definition.MemberArray.Select(T.CreateChecked)];
        var weights = definition.WeightArray;
        _voteTarget = [.. weights.Select(w => w.Target)];
        _voteValue = [.. weights.Select(w => T.CreateChecked(w.Value))];
        _oneVotePerLeaf = true;
        for (var i = 0; i < n; i++)
        {
            if (nodes[i].IsLeaf)
            {
                _oneVotePerLeaf &= _voteCount[i] == 1;
                _leafValue[i] = _voteCount[i] == 1 ? _voteValue[_voteStart[i]] : T.Zero;
                _leafTarget[i] = _voteCount[i] == 1 ? _voteTarget[_voteStart[i]] : 0;
            }
        }

        _oneVotePerLeafOneTarget = _oneVotePerLeaf && definition.TargetCount == 1;
        (_denseVotes, _everyLeafVotesEveryTarget) = BuildDenseVotes(nodes, definition.TargetCount);

        _roots = definition.RootArray;
        _depths = [.. definition.Depths];
        _groupDepths = new int[(_roots.Length + TreeLanes - 1) / TreeLanes];
        for (var t = 0; t < _roots.Length; t++)
        {
            _groupDepths[t / TreeLanes] = Math.Max(_groupDepths[t / TreeLanes], _depths[t]);
        }

        (_fast, _nanRouting) = layout != TreeLayout.General ? BuildFastLayout(nodes) : (null, NanRouting.AllRight);
        if (_fast is not null && layout != TreeLayout.Explicit && FitsPerfectLayout(nodes.Length, dense: layout == TreeLayout.Auto))
        {
            (_splits, _splitStart, _perfectLeaves, _perfectLeafStart) = BuildPerfectLayout(_fast);
        }
    }

    /// <summary>The ensemble this scorer evaluates.</summary>
    public TreeEnsembleDefinition Definition => _definition;

    /// <summary>Whether the fast lock-step layout is used (every split is an order comparison).</summary>
    public bool UsesFastLayout => _fast is not null;

    /// <summary>Whether the trees are (nearly) complete and shallow enough to be walked as complete trees with implicit children.</summary>
    public bool UsesPerfectLayout => _splits is not null;

    /// <summary>Deepest tree that is padded to a complete tree; deeper ensembles keep explicit children.</summary>
    public const int MaxPerfectDepth = 12;

    /// <summary>
    /// Scores <paramref name="rows"/> rows of <paramref name="features"/> values each: <paramref name="scores"/> gets,
    /// per row and target, the combined votes (the sum for SUM and AVERAGE, the extreme for MIN and MAX), and
    /// <paramref name="voted"/> whether any tree voted for that target on that row.
    /// </summary>
    public void Score(ReadOnlySpan<T> x, int rows, int features, Span<T> scores, Span<bool> voted)
    {
        var workspace = ArrayPool<int>.Shared.Rent(WorkspaceLength);
        try
        {
            Score(x, rows, features, scores, voted, workspace);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(workspace);
        }
    }

    /// <summary>Integers of workspace <see cref="Score(ReadOnlySpan{T}, int, int, Span{T}, Span{bool}, Span{int})"/> needs.</summary>
    public int WorkspaceLength => Math.Max(1, _roots.Length * BlockRows);

    /// <summary>As <see cref="Score(ReadOnlySpan{T}, int, int, Span{T}, Span{bool})"/>, with caller-provided workspace (no allocation).</summary>
    public void Score(ReadOnlySpan<T> x, int rows, int features, Span<T> scores, Span<bool> voted, Span<int> workspace)
    {
        var targets = _definition.TargetCount;
        if (features <= _definition.MaxFeature)
        {
            throw new ArgumentException($"The trees read feature {_definition.MaxFeature} but the input has {features} features per row.", nameof(x));
        }

        if (x.Length < rows * features || scores.Length < rows * targets || voted.Length < rows * targets)
        {
            throw new ArgumentException("The input or output buffers are smaller than rows x features / rows x targets.");
        }

        if (workspace.Length < WorkspaceLength)
        {
            throw new ArgumentException($"The workspace needs {WorkspaceLength} integers.", nameof(workspace));
        }

        scores[..(rows * targets)].Clear();
        voted[..(rows * targets)].Clear();
        if (rows == 0 || _roots.Length == 0)
        {
            return;
        }

        for (var r0 = 0; r0 < rows; r0 += BlockRows)
        {
            var count = Math.Min(BlockRows, rows - r0);
            var block = x.Slice(r0 * features, count * features);
            FindLeaves(block, count, features, workspace);
            Accumulate(workspace, count, scores.Slice(r0 * targets, count * targets), voted.Slice(r0 * targets, count * targets));
        }
    }

    /// <summary>The leaf (node index) each tree reaches for one row, walking the general layout.</summary>
    internal int WalkGeneral(int tree, ReadOnlySpan<T> row)
    {
        var i = _roots[tree];
        while (_mode[i] != BranchMode.Leaf)
        {
            var v = row[_feature[i]];
            var t = _threshold[i];
            var goTrue = _mode[i] switch
            {
                BranchMode.Leq => v <= t,
                BranchMode.Lt => v < t,
                BranchMode.Gte => v >= t,
                BranchMode.Gt => v > t,
                BranchMode.Eq => v == t,
                BranchMode.Neq => v != t,
                _ => _members.AsSpan(_memberStart[i], _memberCount[i]).Contains(v),
            };
            goTrue |= _missingTrue[i] && T.IsNaN(v);
            i = goTrue ? _trueChild[i] : _falseChild[i];
        }

        return i;
    }

    private void FindLeaves(ReadOnlySpan<T> block, int count, int features, Span<int> leaves)
    {
        var trees = _roots.Length;
        if (_fast is null || features == 0)
        {
            FindLeavesGeneral(block, 0, count, features, leaves);
            return;
        }

        if (_nanRouting == NanRouting.AllLeft)
        {
            FindLeavesFast<NanGoesLeft>(block, count, features, leaves);
            return;
        }

        FindLeavesFast<NanGoesRight>(block, count, features, leaves);
        if (_nanRouting == NanRouting.Mixed)
        {
            // NaN takes a per-node direction the single fast form cannot express: redo those rows the general way.
            for (var r = 0; r < count; r++)
            {
                var row = block.Slice(r * features, features);
                if (ContainsNaN(row))
                {
                    for (var t = 0; t < trees; t++)
                    {
                        leaves[(t * BlockRows) + r] = WalkGeneral(t, row);
                    }
                }
            }
        }
    }

    private void FindLeavesGeneral(ReadOnlySpan<T> block, int first, int count, int features, Span<int> leaves)
    {
        for (var r = first; r < count; r++)
        {
            var row = block.Slice(r * features, features);
            for (var t = 0; t < _roots.Length; t++)
            {
                leaves[(t * BlockRows) + r] = WalkGeneral(t, row);
            }
        }
    }

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

    private void Accumulate(Span<int> leaves, int count, Span<T> scores, Span<bool> voted)
    {
        var targets = _definition.TargetCount;
        var trees = _roots.Length;
        var aggregate = _definition.Aggregate;
        if (_oneVotePerLeafOneTarget && aggregate is TreeAggregate.Sum or TreeAggregate.Average)
        {
            // The common regression case: one value per leaf. Trees outer, rows inner reads the leaves contiguously
            // and still adds each row's values in tree order (the order ONNX Runtime sums in, so float results agree
            // bit for bit).
            for (var t = 0; t < trees; t++)
            {
                var treeLeaves = leaves.Slice(t * BlockRows, count);
                for (var r = 0; r < treeLeaves.Length; r++)
                {
                    var leaf = treeLeaves[r];
                    scores[r] += _leafValue[leaf];
                    voted[r] |= _voteCount[leaf] != 0;
                }
            }

            return;
        }

        if (_oneVotePerLeaf && aggregate is TreeAggregate.Sum or TreeAggregate.Average)
        {
            // Gradient-boosted classifiers: every leaf votes once, for its tree's class.
            for (var t = 0; t < trees; t++)
            {
                var treeLeaves = leaves.Slice(t * BlockRows, count);
                for (var r = 0; r < treeLeaves.Length; r++)
                {
                    var leaf = treeLeaves[r];
                    var at = (r * targets) + _leafTarget[leaf];
                    scores[at] += _leafValue[leaf];
                    voted[at] = true;
                }
            }

            return;
        }

        if (_denseVotes is not null && aggregate is TreeAggregate.Sum or TreeAggregate.Average)
        {
            // Random forests: a dense row of votes per leaf added to the row's scores (adding 0 for a target a leaf
            // does not vote for changes no sum), in tree order per row.
            var dense = _denseVotes;
            for (var t = 0; t < trees; t++)
            {
                var treeLeaves = leaves.Slice(t * BlockRows, count);
                for (var r = 0; r < treeLeaves.Length; r++)
                {
                    var votes = dense.AsSpan(treeLeaves[r] * targets, targets);
                    var row = scores.Slice(r * targets, targets);
                    for (var k = 0; k < votes.Length; k++)
                    {
                        row[k] += votes[k];
                    }
                }
            }

            if (_everyLeafVotesEveryTarget)
            {
                voted[..(count * targets)].Fill(true);
                return;
            }

            for (var t = 0; t < trees; t++)
            {
                var treeLeaves = leaves.Slice(t * BlockRows, count);
                for (var r = 0; r < treeLeaves.Length; r++)
                {
                    var leaf = treeLeaves[r];
                    var end = _voteStart[leaf] + _voteCount[leaf];
                    for (var k = _voteStart[leaf]; k < end; k++)
                    {
                        voted[(r * targets) + _voteTarget[k]] = true;
                    }
                }
            }

            return;
        }

        if (aggregate is TreeAggregate.Sum or TreeAggregate.Average)
        {
            // Several votes per leaf, summed in tree order per row.
            for (var t = 0; t < trees; t++)
            {
                var treeLeaves = leaves.Slice(t * BlockRows, count);
                for (var r = 0; r < treeLeaves.Length; r++)
                {
                    var leaf = treeLeaves[r];
                    var end = _voteStart[leaf] + _voteCount[leaf];
                    var row = r * targets;
                    for (var k = _voteStart[leaf]; k < end; k++)
                    {
                        var at = row + _voteTarget[k];
                        scores[at] += _voteValue[k];
                        voted[at] = true;
                    }
                }
            }

            return;
        }

        var min = aggregate == TreeAggregate.Min;
        for (var t = 0; t < trees; t++)
        {
            var treeLeaves = leaves.Slice(t * BlockRows, count);
            for (var r = 0; r < treeLeaves.Length; r++)
            {
                var leaf = treeLeaves[r];
                var end = _voteStart[leaf] + _voteCount[leaf];
                for (var k = _voteStart[leaf]; k < end; k++)
                {
                    var at = (r * targets) + _voteTarget[k];
                    var value = _voteValue[k];
                    ref var score = ref scores[at];
                    score = !voted[at] || (min ? value < score : value > score) ? value : score;
                    voted[at] = true;
                }
            }
        }
    }

    private static bool ContainsNaN(ReadOnlySpan<T> row)
    {
        foreach (var v in row)
        {
            if (T.IsNaN(v))
            {
                return true;
            }
        }

        return false;
    }

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

    private enum NanRouting
    {
        AllRight,
        AllLeft,
        Mixed,
    }

    /// <summary>Where a NaN feature goes in the rewritten form; a generic struct so the JIT specializes the walk.</summary>
    private interface INanRouting
    {
        static abstract bool GoesRight(T value, T threshold);
    }

    private readonly struct NanGoesRight : INanRouting
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool GoesRight(T value, T threshold) => !(value <= threshold);
    }

    private readonly struct NanGoesLeft : INanRouting
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool GoesRight(T value, T threshold) => value > threshold;
    }
}

/// <summary>The node layouts a <see cref="TreeEnsembleScorer{T}"/> can walk.</summary>
public enum TreeLayout
{
    /// <summary>The fastest layout that can express the ensemble.</summary>
    Auto,

    /// <summary>Every node kind, one row at a time: the reference walk.</summary>
    General,

    /// <summary>Order comparisons rewritten to one form, explicit children, rows in lock step.</summary>
    Explicit,

    /// <summary>As explicit, with trees padded to complete trees so children need no storage.</summary>
    Perfect,
}

/// <summary>A split of the perfect layout: go to the left child (2i+1) when <c>x[Feature] &lt;= Threshold</c>, else right (2i+2).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct PerfectSplit<T>(T Threshold, int Feature)
    where T : unmanaged;

/// <summary>A node of the fast layout: go to <see cref="Left"/> when <c>x[Feature] &lt;= Threshold</c>, else <see cref="Right"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct FastTreeNode<T>(T Threshold, int Feature, int Left, int Right)
    where T : unmanaged;
