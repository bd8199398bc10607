using System.Numerics;

namespace Escala.Onnx.Ml.Trees;

/// <summary>
/// Turns the combined votes of <see cref="TreeEnsembleScorer{T}"/> into operator outputs: base values, AVERAGE's
/// division, the post transform, and for classifiers the winning class. Where the ONNX specification leaves room
/// (one score column for two classes, which votes count as a score, what a single-target transform does) this
/// follows ONNX Runtime 1.30, which real exported models are checked against; docs/engine-ml.md lists the few
/// places where ONNX Runtime's answer is a defect and the specification's reading is used instead.
/// </summary>
public static class TreeEnsembleOutputs
{
    /// <summary>
    /// Regression outputs (TreeEnsembleRegressor, TreeEnsemble): per row and target, the combined votes plus the base
    /// value, then the transform. A target no tree voted for on a row reads 0 when there are several targets.
    /// With one target, only PROBIT is applied (ONNX Runtime leaves the other transforms out for one column).
    /// </summary>
    public static void WriteRegression<T, TOut>(
        TreeEnsembleDefinition definition, ReadOnlySpan<T> scores, ReadOnlySpan<bool> voted, int rows, Span<TOut> output)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOut : unmanaged, IFloatingPointIeee754<TOut> =>
        WriteRegression(definition, scores, voted, rows, output, default);

    /// <summary>
    /// As <see cref="WriteRegression{T, TOut}(TreeEnsembleDefinition, ReadOnlySpan{T}, ReadOnlySpan{bool}, int, Span{TOut})"/>,
    /// with <paramref name="rowScratch"/> (at least one float per target) for the transform of a row of more than
    /// 256 targets: a kernel passes memory counted against its run's budget instead of a new array per call.
    /// </summary>
    public static void WriteRegression<T, TOut>(
        TreeEnsembleDefinition definition, ReadOnlySpan<T> scores, ReadOnlySpan<bool> voted, int rows, Span<TOut> output, Span<float> rowScratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOut : unmanaged, IFloatingPointIeee754<TOut>
    {
        ArgumentNullException.ThrowIfNull(definition);
        var targets = definition.TargetCount;
        var bases = definition.BaseValues;
        var trees = T.CreateChecked(definition.TreeCount);
        var aggregate = definition.Aggregate;
        var transform = definition.PostTransform;
        if (targets == 1)
        {
            var origin = bases.Count == 1 ? T.CreateChecked(bases[0]) : T.Zero;
            for (var r = 0; r < rows; r++)
            {
                var s = aggregate switch
                {
                    TreeAggregate.Sum => scores[r] + origin,
                    TreeAggregate.Average => (scores[r] / trees) + origin,
                    _ => voted[r] ? scores[r] + origin : origin,
                };
                output[r] = transform == PostTransform.Probit
                    ? TOut.CreateChecked(ScoreTransform.Probit(float.CreateChecked(s)))
                    : TOut.CreateChecked(s);
            }

            return;
        }

        var useBase = bases.Count == targets;
        Span<float> row = targets <= 256 ? stackalloc float[targets] : rowScratch.Length >= targets ? rowScratch[..targets] : new float[targets];
        for (var r = 0; r < rows; r++)
        {
            var rowScores = scores.Slice(r * targets, targets);
            var rowVoted = voted.Slice(r * targets, targets);
            var outRow = output.Slice(r * targets, targets);
            for (var k = 0; k < targets; k++)
            {
                var s = aggregate == TreeAggregate.Average ? rowScores[k] / trees : rowScores[k];
                var value = rowVoted[k] ? s + (useBase ? T.CreateChecked(bases[k]) : T.Zero) : T.Zero;
                if (transform == PostTransform.None)
                {
                    outRow[k] = TOut.CreateChecked(value);
                }
                else
                {
                    row[k] = float.CreateChecked(value);
                }
            }

            if (transform != PostTransform.None)
            {
                ScoreTransform.Apply(transform, row);
                for (var k = 0; k < targets; k++)
                {
                    outRow[k] = TOut.CreateChecked(row[k]);
                }
            }
        }
    }
}
