namespace Escala.Onnx.Ml.Trees;

/// <summary>One node of a tree in the normalized form: children and leaf payloads are global indices.</summary>
/// <param name="Mode">The comparison, or <see cref="BranchMode.Leaf"/>.</param>
/// <param name="Feature">The input column the node reads (0 for leaves).</param>
/// <param name="Threshold">The split value (unused for leaves and set membership).</param>
/// <param name="MissingTracksTrue">Whether a NaN feature takes the true branch.</param>
/// <param name="TrueChild">Global index of the node taken when the comparison holds.</param>
/// <param name="FalseChild">Global index of the node taken otherwise.</param>
/// <param name="Start">Leaves: first weight in <see cref="TreeEnsembleDefinition.Weights"/>; membership nodes: first member.</param>
/// <param name="Count">Leaves: number of weights; membership nodes: number of members.</param>
public readonly record struct TreeNode(
    BranchMode Mode, int Feature, double Threshold, bool MissingTracksTrue, int TrueChild, int FalseChild, int Start, int Count)
{
    /// <summary>Whether the node is a leaf.</summary>
    public bool IsLeaf => Mode == BranchMode.Leaf;
}

/// <summary>A vote of a leaf: <paramref name="Value"/> for target (or class) <paramref name="Target"/>.</summary>
public readonly record struct LeafWeight(int Target, double Value);

/// <summary>
/// A tree ensemble validated and normalized from either attribute encoding (TreeEnsembleClassifier/Regressor of
/// ai.onnx.ml opset 1-3, or TreeEnsemble of opset 5): nodes of each tree with children as indices, leaf votes grouped
/// per leaf, one root per tree. Values are kept in double; <see cref="DoublePrecision"/> says whether the model gave
/// them as doubles (the <c>*_as_tensor</c> attributes, or opset 5 with double input), so evaluation can use the
/// model's own precision.
/// </summary>
public sealed class TreeEnsembleDefinition
{
    private TreeEnsembleDefinition(
        TreeNode[] nodes, int[] roots, LeafWeight[] weights, double[] members, int targetCount,
        TreeAggregate aggregate, PostTransform postTransform, double[] baseValues, bool doublePrecision)
    {
        NodeArray = nodes;
        RootArray = roots;
        WeightArray = weights;
        MemberArray = members;
        TargetCount = targetCount;
        Aggregate = aggregate;
        PostTransform = postTransform;
        BaseValues = baseValues;
        DoublePrecision = doublePrecision;
        var depths = new int[roots.Length];
        Depths = depths;
        MaxFeature = -1;
        var depthOf = new int[nodes.Length];
        var state = new byte[nodes.Length];
        for (var t = 0; t < roots.Length; t++)
        {
            depths[t] = MeasureDepth(roots[t], depthOf, state, t);
        }

        foreach (var node in nodes)
        {
            if (!node.IsLeaf)
            {
                MaxFeature = Math.Max(MaxFeature, node.Feature);
                HasCategoricalNodes |= node.Mode is BranchMode.Eq or BranchMode.Neq or BranchMode.Member;
            }
        }

        VotedTargets = FindVotedTargets();
    }

    /// <summary>All nodes; children and payloads refer to positions in this list.</summary>
    public IReadOnlyList<TreeNode> Nodes => NodeArray;

    /// <summary>The root node of each tree, in model order (which is also the order votes are summed in).</summary>
    public IReadOnlyList<int> Roots => RootArray;

    /// <summary>The leaf votes, each leaf's votes contiguous.</summary>
    public IReadOnlyList<LeafWeight> Weights => WeightArray;

    /// <summary>The value sets of membership nodes.</summary>
    public IReadOnlyList<double> Members => MemberArray;

    /// <summary>Number of outputs per row: targets of a regressor, classes of a classifier.</summary>
    public int TargetCount { get; }

    /// <summary>How votes for one target are combined.</summary>
    public TreeAggregate Aggregate { get; }

    /// <summary>The transform applied to the combined scores.</summary>
    public PostTransform PostTransform { get; }

    /// <summary>The base values (empty, one, or one per target).</summary>
    public IReadOnlyList<double> BaseValues { get; }

    /// <summary>Whether thresholds and weights were given in double precision.</summary>
    public bool DoublePrecision { get; }

    /// <summary>The longest root-to-leaf path of each tree (0 for a tree that is a single leaf).</summary>
    public IReadOnlyList<int> Depths { get; }

    /// <summary>The highest feature index any node reads, or -1.</summary>
    public int MaxFeature { get; }

    /// <summary>Whether any node compares for (in)equality or set membership rather than order.</summary>
    public bool HasCategoricalNodes { get; }

    /// <summary>The distinct targets that receive at least one vote anywhere in the ensemble.</summary>
    public IReadOnlySet<int> VotedTargets { get; }

    /// <summary>Number of trees.</summary>
    public int TreeCount => RootArray.Length;

    internal TreeNode[] NodeArray { get; }

    internal int[] RootArray { get; }

    internal LeafWeight[] WeightArray { get; }

    internal double[] MemberArray { get; }

    /// <summary>
    /// Builds the ensemble from the attributes of TreeEnsembleClassifier/Regressor (opset 1 and 3): parallel
    /// <c>nodes_*</c> lists keyed by (tree id, node id), and parallel vote lists (<c>target_*</c> or <c>class_*</c>).
    /// As in ONNX Runtime, a tree's root is its first listed node, and votes attached to an interior node are ignored
    /// (old onnxmltools exports contain such votes).
    /// </summary>
    public static TreeEnsembleDefinition FromNodeLists(
        TreeNodeLists lists, int targetCount, TreeAggregate aggregate, PostTransform postTransform,
        IReadOnlyList<double> baseValues, bool doublePrecision)
    {
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentNullException.ThrowIfNull(baseValues);
        var n = lists.NodeIds.Count;
        RequireLength("nodes_treeids", lists.TreeIds.Count, n);
        RequireLength("nodes_featureids", lists.FeatureIds.Count, n);
        RequireLength("nodes_modes", lists.Modes.Count, n);
        RequireLength("nodes_values", lists.Values.Count, n);
        RequireLength("nodes_truenodeids", lists.TrueNodeIds.Count, n);
        RequireLength("nodes_falsenodeids", lists.FalseNodeIds.Count, n);
        if (lists.MissingTracksTrue.Count != 0)
        {
            RequireLength("nodes_missing_value_tracks_true", lists.MissingTracksTrue.Count, n);
        }

        var w = lists.WeightNodeIds.Count;
        RequireLength("the vote tree ids", lists.WeightTreeIds.Count, w);
        RequireLength("the vote target/class ids", lists.WeightTargetIds.Count, w);
        RequireLength("the vote weights", lists.Weights.Count, w);
        if (n == 0)
        {
            throw new FormatException("The tree ensemble has no nodes.");
        }

        if (targetCount <= 0)
        {
            throw new FormatException($"The number of targets (or classes) must be positive, got {targetCount}.");
        }

        var index = new Dictionary<(long Tree, long Node), int>(n);
        var roots = new List<int>();
        var treeSeen = new HashSet<long>();
        for (var i = 0; i < n; i++)
        {
            var key = (lists.TreeIds[i], lists.NodeIds[i]);
            if (!index.TryAdd(key, i))
            {
                throw new FormatException($"Node {key.Item2} of tree {key.Item1} is listed twice.");
            }

            if (treeSeen.Add(lists.TreeIds[i]))
            {
                roots.Add(i);
            }
        }

        var modes = new BranchMode[n];
        for (var i = 0; i < n; i++)
        {
            modes[i] = BranchModes.Parse(lists.Modes[i]);
        }

        // Group the votes per leaf, keeping their attribute order within a leaf.
        var votes = new List<LeafWeight>[n];
        for (var k = 0; k < w; k++)
        {
            if (!index.TryGetValue((lists.WeightTreeIds[k], lists.WeightNodeIds[k]), out var leaf))
            {
                throw new FormatException($"A vote refers to node {lists.WeightNodeIds[k]} of tree {lists.WeightTreeIds[k]}, which does not exist.");
            }

            var target = lists.WeightTargetIds[k];
            if (target < 0 || target >= targetCount)
            {
                throw new FormatException($"A vote of node {lists.WeightNodeIds[k]} in tree {lists.WeightTreeIds[k]} is for target/class {target}, outside [0, {targetCount}).");
            }

            if (modes[leaf] != BranchMode.Leaf)
            {
                continue;
            }

            (votes[leaf] ??= []).Add(new LeafWeight((int)target, lists.Weights[k]));
        }

        var nodes = new TreeNode[n];
        var weights = new List<LeafWeight>(w);
        for (var i = 0; i < n; i++)
        {
            if (modes[i] == BranchMode.Leaf)
            {
                var list = votes[i];
                nodes[i] = new TreeNode(BranchMode.Leaf, 0, 0, false, i, i, weights.Count, list?.Count ?? 0);
                if (list is not null)
                {
                    weights.AddRange(list);
                }

                continue;
            }

            var tree = lists.TreeIds[i];
            var feature = lists.FeatureIds[i];
            if (feature is < 0 or > int.MaxValue)
            {
                throw new FormatException($"Node {lists.NodeIds[i]} of tree {tree} reads feature {feature}, which is not a valid column index.");
            }

            var trueChild = Child(index, tree, lists.NodeIds[i], lists.TrueNodeIds[i], "true");
            var falseChild = Child(index, tree, lists.NodeIds[i], lists.FalseNodeIds[i], "false");
            var missing = lists.MissingTracksTrue.Count != 0 && lists.MissingTracksTrue[i] == 1;
            nodes[i] = new TreeNode(modes[i], (int)feature, lists.Values[i], missing, trueChild, falseChild, 0, 0);
        }

        var bases = CheckBaseValues(baseValues, targetCount);
        return new TreeEnsembleDefinition(nodes, [.. roots], [.. weights], [], targetCount, aggregate, postTransform, bases, doublePrecision);
    }

    /// <summary>
    /// Builds the ensemble from the attributes of TreeEnsemble (ai.onnx.ml opset 5): interior nodes in <c>nodes_*</c>,
    /// leaves in <c>leaf_*</c>, children flagged as leaf or node, explicit roots, and set members delimited by NaN.
    /// </summary>
    public static TreeEnsembleDefinition FromOpset5(TreeEnsembleOpset5Lists lists, bool doublePrecision)
    {
        ArgumentNullException.ThrowIfNull(lists);
        var n = lists.FeatureIds.Count;
        RequireLength("nodes_splits", lists.Splits.Count, n);
        RequireLength("nodes_modes", lists.Modes.Count, n);
        RequireLength("nodes_truenodeids", lists.TrueNodeIds.Count, n);
        RequireLength("nodes_falsenodeids", lists.FalseNodeIds.Count, n);
        RequireLength("nodes_trueleafs", lists.TrueLeafs.Count, n);
        RequireLength("nodes_falseleafs", lists.FalseLeafs.Count, n);
        if (lists.MissingTracksTrue.Count != 0)
        {
            RequireLength("nodes_missing_value_tracks_true", lists.MissingTracksTrue.Count, n);
        }

        var leafCount = lists.LeafWeights.Count;
        RequireLength("leaf_targetids", lists.LeafTargetIds.Count, leafCount);
        var targetCount = lists.TargetCount;
        if (targetCount <= 0)
        {
            throw new FormatException($"n_targets must be positive, got {targetCount}.");
        }

        if (lists.TreeRoots.Count == 0)
        {
            throw new FormatException("tree_roots is empty: the ensemble has no trees.");
        }

        // Nodes 0..n-1 are the interior nodes, n..n+leafCount-1 the leaves.
        var nodes = new TreeNode[n + leafCount];
        var weights = new LeafWeight[leafCount];
        for (var j = 0; j < leafCount; j++)
        {
            var target = lists.LeafTargetIds[j];
            if (target < 0 || target >= targetCount)
            {
                throw new FormatException($"leaf_targetids[{j}] = {target} is outside [0, n_targets = {targetCount}).");
            }

            weights[j] = new LeafWeight((int)target, lists.LeafWeights[j]);
            nodes[n + j] = new TreeNode(BranchMode.Leaf, 0, 0, false, n + j, n + j, j, 1);
        }

        var members = new List<double>();
        var memberCursor = 0;
        for (var i = 0; i < n; i++)
        {
            var mode = BranchModes.FromCode(lists.Modes[i]);
            var feature = lists.FeatureIds[i];
            if (feature is < 0 or > int.MaxValue)
            {
                throw new FormatException($"nodes_featureids[{i}] = {feature} is not a valid column index.");
            }

            var start = 0;
            var count = 0;
            if (mode == BranchMode.Member)
            {
                start = members.Count;
                var values = lists.MembershipValues;
                if (memberCursor >= values.Count)
                {
                    throw new FormatException($"Node {i} is a BRANCH_MEMBER node but membership_values has no set left for it.");
                }

                while (memberCursor < values.Count && !double.IsNaN(values[memberCursor]))
                {
                    members.Add(values[memberCursor++]);
                }

                memberCursor++;
                count = members.Count - start;
            }

            var trueChild = Opset5Child(i, lists.TrueNodeIds[i], lists.TrueLeafs[i], n, leafCount, "true");
            var falseChild = Opset5Child(i, lists.FalseNodeIds[i], lists.FalseLeafs[i], n, leafCount, "false");
            var missing = lists.MissingTracksTrue.Count != 0 && lists.MissingTracksTrue[i] == 1;
            nodes[i] = new TreeNode(mode, (int)feature, lists.Splits[i], missing, trueChild, falseChild, start, count);
        }

        var roots = new int[lists.TreeRoots.Count];
        for (var t = 0; t < roots.Length; t++)
        {
            var root = lists.TreeRoots[t];
            if (root < 0 || root >= Math.Max(n, leafCount))
            {
                throw new FormatException($"tree_roots[{t}] = {root} is outside the nodes.");
            }

            // A tree that is one leaf is written as a node whose two branches are the same leaf; as in the ONNX
            // reference and ONNX Runtime, the leaf is then the one at the root's own position.
            var isLeaf = root < n && lists.TrueLeafs[(int)root] != 0 && lists.FalseLeafs[(int)root] != 0
                && lists.TrueNodeIds[(int)root] == lists.FalseNodeIds[(int)root];
            if (isLeaf ? root >= leafCount : root >= n)
            {
                throw new FormatException($"tree_roots[{t}] = {root} is outside the {(isLeaf ? "leaves" : "nodes")}.");
            }

            roots[t] = isLeaf ? n + (int)root : (int)root;
        }

        var aggregate = TreeAggregates.FromCode(lists.AggregateFunction);
        var postTransform = PostTransforms.FromCode(lists.PostTransform);
        return new TreeEnsembleDefinition(nodes, roots, weights, [.. members], targetCount, aggregate, postTransform, [], doublePrecision);
    }

    private static int Opset5Child(int node, long id, long isLeaf, int nodeCount, int leafCount, string branch)
    {
        if (isLeaf != 0)
        {
            return id >= 0 && id < leafCount
                ? nodeCount + (int)id
                : throw new FormatException($"Node {node}: its {branch} branch is leaf {id}, but there are {leafCount} leaves.");
        }

        return id >= 0 && id < nodeCount
            ? (int)id
            : throw new FormatException($"Node {node}: its {branch} branch is node {id}, but there are {nodeCount} nodes.");
    }

    private static int Child(Dictionary<(long Tree, long Node), int> index, long tree, long node, long child, string branch) =>
        index.TryGetValue((tree, child), out var at)
            ? at
            : throw new FormatException($"Node {node} of tree {tree}: its {branch} branch is node {child}, which is not in that tree.");

    private static void RequireLength(string name, int actual, int expected)
    {
        if (actual != expected)
        {
            throw new FormatException($"{name} has {actual} entries; expected {expected}, one per node (or vote).");
        }
    }

    private static double[] CheckBaseValues(IReadOnlyList<double> baseValues, int targetCount)
    {
        // ONNX Runtime accepts one base value per target, or a single one (used for one target or the binary case).
        if (baseValues.Count != 0 && baseValues.Count != 1 && baseValues.Count != targetCount)
        {
            throw new FormatException($"base_values has {baseValues.Count} entries; expected 0, 1 or {targetCount} (one per target/class).");
        }

        return [.. baseValues];
    }

    private int MeasureDepth(int root, int[] depthOf, byte[] state, int tree)
    {
        // Iterative post-order walk: depth = 1 + max(children); state 1 = on the current path (a cycle if met
        // again), 2 = done. Shared subtrees (allowed: LightGBM exports reuse nodes) are measured once.
        var nodes = NodeArray;
        if (state[root] == 2)
        {
            return depthOf[root];
        }

        var stack = new Stack<(int Node, bool Expanded)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (at, expanded) = stack.Pop();
            var node = nodes[at];
            if (node.IsLeaf)
            {
                state[at] = 2;
                depthOf[at] = 0;
                continue;
            }

            if (expanded)
            {
                depthOf[at] = 1 + Math.Max(depthOf[node.TrueChild], depthOf[node.FalseChild]);
                state[at] = 2;
                continue;
            }

            if (state[at] == 2)
            {
                continue;
            }

            if (state[at] == 1)
            {
                throw new FormatException($"Tree {tree} has a cycle through node {at}: a tree must not lead back to a node on its own path.");
            }

            state[at] = 1;
            stack.Push((at, true));
            foreach (var child in (ReadOnlySpan<int>)[node.TrueChild, node.FalseChild])
            {
                if (state[child] == 1)
                {
                    throw new FormatException($"Tree {tree} has a cycle through node {child}: a tree must not lead back to a node on its own path.");
                }

                if (state[child] == 0)
                {
                    stack.Push((child, false));
                }
            }
        }

        return depthOf[root];
    }

    private HashSet<int> FindVotedTargets()
    {
        var voted = new HashSet<int>();
        foreach (var w in WeightArray)
        {
            voted.Add(w.Target);
        }

        return voted;
    }
}

/// <summary>The node and vote attributes of TreeEnsembleClassifier/Regressor (opset 1 and 3), values widened to double.</summary>
public sealed record TreeNodeLists(
    IReadOnlyList<long> TreeIds,
    IReadOnlyList<long> NodeIds,
    IReadOnlyList<long> FeatureIds,
    IReadOnlyList<string> Modes,
    IReadOnlyList<double> Values,
    IReadOnlyList<long> MissingTracksTrue,
    IReadOnlyList<long> TrueNodeIds,
    IReadOnlyList<long> FalseNodeIds,
    IReadOnlyList<long> WeightTreeIds,
    IReadOnlyList<long> WeightNodeIds,
    IReadOnlyList<long> WeightTargetIds,
    IReadOnlyList<double> Weights);

/// <summary>The attributes of TreeEnsemble (ai.onnx.ml opset 5), values widened to double.</summary>
public sealed record TreeEnsembleOpset5Lists(
    IReadOnlyList<long> FeatureIds,
    IReadOnlyList<double> Splits,
    IReadOnlyList<int> Modes,
    IReadOnlyList<long> TrueNodeIds,
    IReadOnlyList<long> FalseNodeIds,
    IReadOnlyList<long> TrueLeafs,
    IReadOnlyList<long> FalseLeafs,
    IReadOnlyList<long> MissingTracksTrue,
    IReadOnlyList<long> TreeRoots,
    IReadOnlyList<double> MembershipValues,
    IReadOnlyList<long> LeafTargetIds,
    IReadOnlyList<double> LeafWeights,
    int TargetCount,
    long AggregateFunction,
    long PostTransform);
