using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

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
public sealed partial class TreeEnsembleScorer<T>
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
