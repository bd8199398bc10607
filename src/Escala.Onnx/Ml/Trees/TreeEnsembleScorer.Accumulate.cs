using System.Numerics;

namespace Escala.Onnx.Ml.Trees;

// TreeEnsembleScorer, part: Combining the votes of the leaves each block of rows reached.
public sealed partial class TreeEnsembleScorer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
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
}
