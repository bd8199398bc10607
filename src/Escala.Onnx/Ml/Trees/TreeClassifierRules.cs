using System.Numerics;

namespace Escala.Onnx.Ml.Trees;

/// <summary>
/// How a TreeEnsembleClassifier turns class votes into scores and a winning class, decided once per model.
/// Votes are always summed (the classifier has no aggregate function). The cases follow ONNX Runtime 1.30:
/// <list type="bullet">
/// <item>Several classes, or two classes that both receive votes: base values are added (a class with no vote on
/// a row takes its base value, and one without either reads 0), the winner is the highest score among the classes
/// that have one (the first on a tie), and the transform applies to the whole row.</item>
/// <item>Two classes where only class 0 receives votes (how scikit-learn gradient boosting writes a binary model):
/// the single score s is spread over two columns, <c>[1 - s, s]</c> when every vote is positive (class 1 wins above
/// 0.5) or <c>[-s, s]</c> otherwise (class 1 wins above 0); LOGISTIC maps s through the logistic function first.</item>
/// <item>Two classes where only class 1 receives votes: column 0 reads 0 and the winner is decided on class 1's
/// score with the same thresholds.</item>
/// <item>One class: the score is written as is (PROBIT aside) and that class always wins.</item>
/// </list>
/// </summary>
public sealed class TreeClassifierRules
{
    private readonly Kind _kind;
    private readonly bool _allPositive;
    private readonly double[] _bases;
    private readonly PostTransform _transform;

    /// <summary>Derives the rules from the ensemble's classes, votes and base values.</summary>
    public TreeClassifierRules(TreeEnsembleDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ClassCount = definition.TargetCount;
        _bases = [.. definition.BaseValues];
        _transform = definition.PostTransform;
        _allPositive = definition.Weights.All(w => w.Value >= 0);
        var voted = definition.VotedTargets;
        _kind = ClassCount switch
        {
            1 => Kind.SingleClass,
            2 when voted.Count == 1 && voted.Contains(0) => _bases.Length == 2 ? Kind.BinaryClassZeroTwoBases : Kind.BinaryOneScore,
            2 when voted.Count == 1 => Kind.BinaryClassOne,
            _ => Kind.Multiclass,
        };
    }

    private enum Kind
    {
        Multiclass,
        BinaryOneScore,
        BinaryClassZeroTwoBases,
        BinaryClassOne,
        SingleClass,
    }

    /// <summary>Number of classes (columns of the score output).</summary>
    public int ClassCount { get; }

    /// <summary>
    /// Writes the scores (<paramref name="rows"/> x <see cref="ClassCount"/>) and each row's winning class index from
    /// the summed votes and vote flags the scorer produced.
    /// </summary>
    public void Write<T>(ReadOnlySpan<T> sums, ReadOnlySpan<bool> voted, int rows, Span<float> scores, Span<int> classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = ClassCount;
        for (var r = 0; r < rows; r++)
        {
            var rowSums = sums.Slice(r * c, c);
            var rowVoted = voted.Slice(r * c, c);
            var rowOut = scores.Slice(r * c, c);
            classes[r] = _kind switch
            {
                Kind.SingleClass => WriteSingleClass(rowSums, rowOut),
                Kind.BinaryOneScore => WriteOneScore(rowSums, rowVoted, rowOut),
                Kind.BinaryClassZeroTwoBases => WriteTwoColumns(rowSums, rowVoted, rowOut, 0),
                Kind.BinaryClassOne => WriteTwoColumns(rowSums, rowVoted, rowOut, 1),
                _ => WriteMulticlass(rowSums, rowVoted, rowOut),
            };
        }
    }

    private int WriteSingleClass<T>(ReadOnlySpan<T> sums, Span<float> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = sums[0] + (_bases.Length >= 1 ? T.CreateChecked(_bases[0]) : T.Zero);
        output[0] = _transform == PostTransform.Probit ? ScoreTransform.Probit(float.CreateChecked(s)) : float.CreateChecked(s);
        return 0;
    }

    private int WriteOneScore<T>(ReadOnlySpan<T> sums, ReadOnlySpan<bool> voted, Span<float> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A row no tree voted on has no score at all: ONNX Runtime then reads it as 0, base value included.
        var s = voted[0] ? float.CreateChecked(sums[0] + (_bases.Length == 1 ? T.CreateChecked(_bases[0]) : T.Zero)) : 0f;
        var positive = _allPositive ? s > 0.5f : s > 0f;
        if (_transform == PostTransform.Probit)
        {
            output[0] = ScoreTransform.Probit(s);
            output[1] = 0f;
        }
        else if (_allPositive)
        {
            var p = _transform == PostTransform.Logistic ? ScoreTransform.Logistic(s) : s;
            output[0] = 1f - p;
            output[1] = p;
        }
        else if (_transform == PostTransform.Logistic)
        {
            output[0] = ScoreTransform.Logistic(-s);
            output[1] = ScoreTransform.Logistic(s);
        }
        else
        {
            output[0] = -s;
            output[1] = s;
        }

        return positive ? 1 : 0;
    }

    private int WriteTwoColumns<T>(ReadOnlySpan<T> sums, ReadOnlySpan<bool> voted, Span<float> output, int votedClass)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Only one class ever gets votes: its column carries the score (plus its own base value when there are two),
        // the other reads 0, and the winner is decided on that one score.
        var s = voted[votedClass]
            ? float.CreateChecked(sums[votedClass] + (_bases.Length == 2 ? T.CreateChecked(_bases[votedClass]) : T.Zero))
            : 0f;
        output[votedClass] = s;
        output[1 - votedClass] = 0f;
        ScoreTransform.Apply(_transform, output);
        return (_allPositive ? s > 0.5f : s > 0f) ? 1 : 0;
    }

    private int WriteMulticlass<T>(ReadOnlySpan<T> sums, ReadOnlySpan<bool> voted, Span<float> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var best = -1;
        var bestScore = T.Zero;
        for (var k = 0; k < output.Length; k++)
        {
            var has = voted[k] || k < _bases.Length;
            var s = (voted[k] ? sums[k] : T.Zero) + (k < _bases.Length ? T.CreateChecked(_bases[k]) : T.Zero);
            output[k] = has ? float.CreateChecked(s) : 0f;
            if (has && (best < 0 || s > bestScore))
            {
                best = k;
                bestScore = s;
            }
        }

        ScoreTransform.Apply(_transform, output);
        return Math.Max(best, 0);
    }
}
