using Escala.Onnx.Ml.Trees;

namespace Escala.Onnx.Explaining;

/// <summary>
/// Exact interventional TreeSHAP (the game v(S) = E_z f(x_S, z_S̄) over a background sample, as shap's
/// <c>TreeExplainer(feature_perturbation="interventional")</c>). For each background row z and tree, the walk follows
/// x and z together; where they part at a feature not yet fixed, it goes both ways, fixing the feature to x on one side
/// and to z on the other. Each leaf reached carries the indicator game of <see cref="ShapleyWeights"/>, whose Shapley
/// values are closed-form. Cost per explained row: trees × background rows × the leaves reachable by hybrids of x and z.
/// Features are the model's input features: all the columns one feature feeds (one-hot) move together.
/// </summary>
internal sealed class InterventionalTreeShap
{
    private readonly TreeScoring _scoring;
    private readonly TreeSplits _splits;
    private readonly int[] _groupOf;
    private readonly int _groups;
    private readonly int[] _quantityOfTarget;
    private readonly TreeNode[] _nodes;
    private readonly LeafWeight[] _weights;

    public InterventionalTreeShap(TreeScoring scoring, bool singlePrecision, int[] groupOf, int groups)
    {
        _scoring = scoring;
        _splits = new TreeSplits(scoring.Definition, singlePrecision);
        _groupOf = groupOf;
        _groups = groups;
        _nodes = [.. scoring.Definition.Nodes];
        _weights = [.. scoring.Definition.Weights];
        _quantityOfTarget = new int[scoring.Definition.TargetCount];
        Array.Fill(_quantityOfTarget, -1);
        for (var q = 0; q < scoring.Targets.Length; q++)
        {
            _quantityOfTarget[scoring.Targets[q]] = q;
        }
    }

    /// <summary>The margins of one row (quantities), the sum over trees plus the base values.</summary>
    public void Margins(ReadOnlySpan<double> row, Span<double> margins)
    {
        for (var q = 0; q < margins.Length; q++)
        {
            margins[q] = _scoring.Bases[q];
        }

        foreach (var root in _scoring.Definition.Roots)
        {
            var leaf = _nodes[_splits.Leaf(_nodes, root, row)];
            for (var w = leaf.Start; w < leaf.Start + leaf.Count; w++)
            {
                var q = _quantityOfTarget[_weights[w].Target];
                if (q >= 0)
                {
                    margins[q] += _scoring.Scale * _weights[w].Value;
                }
            }
        }
    }

    /// <summary>
    /// Adds to <paramref name="phi"/> (quantities × groups) the attributions of <paramref name="x"/> averaged over the
    /// <paramref name="backgroundRows"/> rows of <paramref name="background"/> (each <paramref name="x"/>.Length wide).
    /// </summary>
    public void Explain(double[] x, double[] background, int backgroundRows, double[] phi)
    {
        var width = x.Length;
        var walk = new Walk(this, x, phi, 1.0 / backgroundRows);
        for (var b = 0; b < backgroundRows; b++)
        {
            walk.Z = background.AsMemory(b * width, width);
            foreach (var root in _scoring.Definition.Roots)
            {
                walk.Visit(root);
            }
        }
    }

    private sealed class Walk(InterventionalTreeShap owner, double[] x, double[] phi, double share)
    {
        private readonly byte[] _fixedTo = new byte[owner._groups];
        private readonly int[] _fromX = new int[owner._groups];
        private readonly int[] _fromZ = new int[owner._groups];
        private int _a;
        private int _b;

        public ReadOnlyMemory<double> Z { get; set; }

        public void Visit(int at)
        {
            var node = owner._nodes[at];
            if (node.IsLeaf)
            {
                Score(node);
                return;
            }

            var column = node.Feature;
            var group = owner._groupOf[column];
            var z = Z.Span;
            var toX = owner._splits.Next(node, x[column]);
            var toZ = owner._splits.Next(node, z[column]);
            if (group < 0 || toX == toZ || _fixedTo[group] == 1)
            {
                // A constant column, a split both rows take the same way, or a feature already taken from x.
                Visit(toX);
                return;
            }

            if (_fixedTo[group] == 2)
            {
                Visit(toZ);
                return;
            }

            _fixedTo[group] = 1;
            _fromX[_a++] = group;
            Visit(toX);
            _a--;
            _fixedTo[group] = 2;
            _fromZ[_b++] = group;
            Visit(toZ);
            _b--;
            _fixedTo[group] = 0;
        }

        private void Score(in TreeNode leaf)
        {
            if (_a + _b == 0)
            {
                return;
            }

            var plus = _a > 0 ? ShapleyWeights.Weight(_a - 1, _b) : 0;
            var minus = _b > 0 ? ShapleyWeights.Weight(_a, _b - 1) : 0;
            var groups = owner._groups;
            for (var w = leaf.Start; w < leaf.Start + leaf.Count; w++)
            {
                var q = owner._quantityOfTarget[owner._weights[w].Target];
                if (q < 0)
                {
                    continue;
                }

                var value = owner._scoring.Scale * owner._weights[w].Value * share;
                var row = q * groups;
                for (var i = 0; i < _a; i++)
                {
                    phi[row + _fromX[i]] += value * plus;
                }

                for (var i = 0; i < _b; i++)
                {
                    phi[row + _fromZ[i]] -= value * minus;
                }
            }
        }
    }
}
