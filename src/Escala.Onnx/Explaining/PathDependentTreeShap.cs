using Escala.Onnx.Ml.Trees;

namespace Escala.Onnx.Explaining;

/// <summary>
/// Exact path-dependent TreeSHAP (Lundberg, Erion and Lee, "Consistent Individualized Feature Attribution for Tree
/// Ensembles", arXiv:1802.03888, Algorithm 2): the game v(S) = E[f(x) | x_S] with the expectation taken under the
/// trees' own training cover, so no background is needed, only <c>nodes_hitrates</c>. One walk per tree keeps, for
/// the features on the path to each leaf, the proportion of coalitions of each size that reach it (EXTEND/UNWIND),
/// in O(L·D²) per tree. Features are groups of feature-vector columns (one-hot columns of one input feature together).
/// </summary>
internal sealed class PathDependentTreeShap
{
    private readonly TreeScoring _scoring;
    private readonly TreeSplits _splits;
    private readonly int[] _groupOf;
    private readonly int _groups;
    private readonly TreeNode[] _nodes;
    private readonly LeafWeight[] _weights;
    private readonly double[] _cover;
    private readonly int[] _quantityOfTarget;
    private readonly int _maxDepth;

    public PathDependentTreeShap(TreeScoring scoring, bool singlePrecision, int[] groupOf, int groups)
    {
        _scoring = scoring;
        _splits = new TreeSplits(scoring.Definition, singlePrecision);
        _groupOf = groupOf;
        _groups = groups;
        _nodes = [.. scoring.Definition.Nodes];
        _weights = [.. scoring.Definition.Weights];
        _cover = scoring.Cover ?? throw new InvalidOperationException("The model carries no node cover (nodes_hitrates).");
        _maxDepth = scoring.Definition.Depths.DefaultIfEmpty(0).Max();
        _quantityOfTarget = new int[scoring.Definition.TargetCount];
        Array.Fill(_quantityOfTarget, -1);
        for (var q = 0; q < scoring.Targets.Length; q++)
        {
            _quantityOfTarget[scoring.Targets[q]] = q;
        }
    }

    /// <summary>Each quantity's expected value under the cover: Σ over leaves of cover(leaf)/cover(root)·value, plus the base.</summary>
    public double[] ExpectedValues()
    {
        var expected = (double[])_scoring.Bases.Clone();
        foreach (var root in _scoring.Definition.Roots)
        {
            Expect(root, 1.0, expected);
        }

        return expected;
    }

    /// <summary>Adds the attributions of <paramref name="x"/> to <paramref name="phi"/> (quantities × groups).</summary>
    public void Explain(double[] x, double[] phi)
    {
        var size = (_maxDepth + 2) * (_maxDepth + 3);
        var path = new PathElement[size];
        foreach (var root in _scoring.Definition.Roots)
        {
            Recurse(x, phi, root, path, 0, 0, 1, 1, -1);
        }
    }

    private void Expect(int at, double share, double[] expected)
    {
        var node = _nodes[at];
        if (node.IsLeaf)
        {
            AddLeaf(node, share, expected);
            return;
        }

        var total = _cover[at];
        if (total <= 0)
        {
            return;
        }

        Expect(node.TrueChild, share * _cover[node.TrueChild] / total, expected);
        Expect(node.FalseChild, share * _cover[node.FalseChild] / total, expected);
    }

    private void AddLeaf(in TreeNode leaf, double share, double[] target)
    {
        for (var w = leaf.Start; w < leaf.Start + leaf.Count; w++)
        {
            var q = _quantityOfTarget[_weights[w].Target];
            if (q >= 0)
            {
                target[q] += share * _scoring.Scale * _weights[w].Value;
            }
        }
    }

    private void Recurse(
        double[] x, double[] phi, int at, PathElement[] buffer, int offset, int depth, double zeroFraction, double oneFraction, int feature)
    {
        // Each level works on its own copy of the path, right after its parent's in the buffer (as shap's C++ does).
        var parentOffset = offset;
        offset = depth == 0 ? 0 : parentOffset + depth;
        if (depth > 0)
        {
            Array.Copy(buffer, parentOffset, buffer, offset, depth);
        }

        var path = buffer.AsSpan(offset);
        Extend(path, depth, zeroFraction, oneFraction, feature);
        var node = _nodes[at];
        while (!node.IsLeaf && _groupOf[node.Feature] < 0)
        {
            // A column no input feature moves (a constant joined into the vector): every row goes the same way.
            at = _splits.Next(node, x[node.Feature]);
            node = _nodes[at];
        }

        if (node.IsLeaf)
        {
            for (var i = 1; i <= depth; i++)
            {
                var scale = UnwoundSum(path, depth, i) * (path[i].OneFraction - path[i].ZeroFraction);
                for (var w = node.Start; w < node.Start + node.Count; w++)
                {
                    var q = _quantityOfTarget[_weights[w].Target];
                    if (q >= 0)
                    {
                        phi[(q * _groups) + path[i].Feature] += scale * _scoring.Scale * _weights[w].Value;
                    }
                }
            }

            return;
        }

        var column = node.Feature;
        var group = _groupOf[column];
        var hot = _splits.Next(node, x[column]);
        var cold = hot == node.TrueChild ? node.FalseChild : node.TrueChild;
        var cover = _cover[at];
        var hotZero = cover > 0 ? _cover[hot] / cover : 0;
        var coldZero = cover > 0 ? _cover[cold] / cover : 0;
        double incomingZero = 1, incomingOne = 1;
        var previous = -1;
        for (var k = 1; k <= depth; k++)
        {
            if (path[k].Feature == group)
            {
                previous = k;
                break;
            }
        }

        var d = depth;
        if (previous >= 0)
        {
            incomingZero = path[previous].ZeroFraction;
            incomingOne = path[previous].OneFraction;
            Unwind(path, d, previous);
            d--;
        }

        Recurse(x, phi, hot, buffer, offset, d + 1, hotZero * incomingZero, incomingOne, group);
        Recurse(x, phi, cold, buffer, offset, d + 1, coldZero * incomingZero, 0, group);
    }

    private static void Extend(Span<PathElement> path, int depth, double zeroFraction, double oneFraction, int feature)
    {
        path[depth] = new PathElement(feature, zeroFraction, oneFraction, depth == 0 ? 1 : 0);
        for (var i = depth - 1; i >= 0; i--)
        {
            path[i + 1].Weight += oneFraction * path[i].Weight * (i + 1) / (depth + 1);
            path[i].Weight = zeroFraction * path[i].Weight * (depth - i) / (depth + 1);
        }
    }

    private static void Unwind(Span<PathElement> path, int depth, int index)
    {
        var one = path[index].OneFraction;
        var zero = path[index].ZeroFraction;
        var next = path[depth].Weight;
        for (var i = depth - 1; i >= 0; i--)
        {
            if (one != 0)
            {
                var tmp = path[i].Weight;
                path[i].Weight = next * (depth + 1) / ((i + 1) * one);
                next = tmp - (path[i].Weight * zero * (depth - i) / (depth + 1));
            }
            else
            {
                path[i].Weight = path[i].Weight * (depth + 1) / (zero * (depth - i));
            }
        }

        for (var i = index; i < depth; i++)
        {
            path[i].Feature = path[i + 1].Feature;
            path[i].ZeroFraction = path[i + 1].ZeroFraction;
            path[i].OneFraction = path[i + 1].OneFraction;
        }
    }

    private static double UnwoundSum(ReadOnlySpan<PathElement> path, int depth, int index)
    {
        var one = path[index].OneFraction;
        var zero = path[index].ZeroFraction;
        var next = path[depth].Weight;
        var total = 0.0;
        for (var i = depth - 1; i >= 0; i--)
        {
            if (one != 0)
            {
                var tmp = next * (depth + 1) / ((i + 1) * one);
                total += tmp;
                next = path[i].Weight - (tmp * zero * (depth - i) / (depth + 1));
            }
            else if (zero != 0)
            {
                total += path[i].Weight / zero / ((depth - i) / (double)(depth + 1));
            }
        }

        return total;
    }

    private struct PathElement(int feature, double zeroFraction, double oneFraction, double weight)
    {
        public int Feature = feature;
        public double ZeroFraction = zeroFraction;
        public double OneFraction = oneFraction;
        public double Weight = weight;
    }
}
