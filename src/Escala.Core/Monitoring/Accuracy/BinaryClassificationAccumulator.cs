namespace Escala.Core.Monitoring.Accuracy;

/// <summary>
/// Accumulates (true label, predicted probability of the positive class) pairs for one key (version x
/// department x window). Memory is fixed: a confusion matrix, a log-loss sum and two score histograms of
/// <c>scoreBins</c> bins on [0, 1] for ROC AUC. AUC is exact (ties handled as Mann-Whitney) when scores are
/// distinct multiples of 1/scoreBins; otherwise two scores in one bin count as a tie, an error of at most
/// ½ Σ posᵢ·negᵢ / (P·N). Thread-safe; mergeable.
/// </summary>
public sealed class BinaryClassificationAccumulator
{
    /// <summary>Log-loss clipping, as scikit-learn.</summary>
    public const double ProbabilityClip = 1e-15;

    private readonly Lock _gate = new();
    private readonly long[] _positives;
    private readonly long[] _negatives;
    private long _tp;
    private long _fp;
    private long _tn;
    private long _fn;
    private double _logLossSum;

    /// <summary>Creates an empty accumulator; a prediction is positive when its score is at least <paramref name="threshold"/>.</summary>
    public BinaryClassificationAccumulator(double threshold = 0.5, int scoreBins = 1000)
    {
        if (!(threshold >= 0 && threshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The decision threshold must be in [0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(scoreBins, 2);
        Threshold = threshold;
        _positives = new long[scoreBins];
        _negatives = new long[scoreBins];
    }

    /// <summary>The decision threshold.</summary>
    public double Threshold { get; }

    /// <summary>Score histogram resolution.</summary>
    public int ScoreBins => _positives.Length;

    /// <summary>Adds one labelled prediction; <paramref name="score"/> is the predicted probability of the positive class.</summary>
    public void Add(bool actual, double score)
    {
        if (!(score >= 0 && score <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "The score must be a probability in [0, 1].");
        }

        var bin = Math.Min((int)(score * _positives.Length), _positives.Length - 1);
        var p = Math.Clamp(score, ProbabilityClip, 1 - ProbabilityClip);
        var predicted = score >= Threshold;
        lock (_gate)
        {
            if (actual)
            {
                _positives[bin]++;
                _logLossSum -= Math.Log(p);
                if (predicted)
                {
                    _tp++;
                }
                else
                {
                    _fn++;
                }
            }
            else
            {
                _negatives[bin]++;
                _logLossSum -= Math.Log(1 - p);
                if (predicted)
                {
                    _fp++;
                }
                else
                {
                    _tn++;
                }
            }
        }
    }

    /// <summary>Adds everything <paramref name="other"/> holds (same threshold and bins), e.g. several departments into one version.</summary>
    public void Merge(BinaryClassificationAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.ScoreBins != ScoreBins || other.Threshold != Threshold)
        {
            throw new ArgumentException("Accumulators with different thresholds or score bins cannot be merged.", nameof(other));
        }

        long[] positives, negatives;
        long tp, fp, tn, fn;
        double logLoss;
        lock (other._gate)
        {
            positives = (long[])other._positives.Clone();
            negatives = (long[])other._negatives.Clone();
            (tp, fp, tn, fn, logLoss) = (other._tp, other._fp, other._tn, other._fn, other._logLossSum);
        }

        lock (_gate)
        {
            for (var i = 0; i < positives.Length; i++)
            {
                _positives[i] += positives[i];
                _negatives[i] += negatives[i];
            }

            _tp += tp;
            _fp += fp;
            _tn += tn;
            _fn += fn;
            _logLossSum += logLoss;
        }
    }

    /// <summary>The metrics so far.</summary>
    public BinaryClassificationMetrics Snapshot()
    {
        lock (_gate)
        {
            var count = _tp + _fp + _tn + _fn;
            var positives = _tp + _fn;
            var negatives = _tn + _fp;
            var precision = _tp + _fp == 0 ? double.NaN : (double)_tp / (_tp + _fp);
            var recall = positives == 0 ? double.NaN : (double)_tp / positives;
            var f1 = double.IsNaN(precision) || double.IsNaN(recall) || precision + recall == 0
                ? double.NaN
                : 2 * precision * recall / (precision + recall);

            double auc = double.NaN;
            if (positives > 0 && negatives > 0)
            {
                // Mann-Whitney: each positive beats the negatives in lower bins and ties those in its own bin.
                double u = 0;
                long negativesBelow = 0;
                for (var i = 0; i < _positives.Length; i++)
                {
                    u += _positives[i] * (negativesBelow + (0.5 * _negatives[i]));
                    negativesBelow += _negatives[i];
                }

                auc = u / ((double)positives * negatives);
            }

            return new BinaryClassificationMetrics(
                count,
                _tp,
                _fp,
                _tn,
                _fn,
                count == 0 ? double.NaN : (double)(_tp + _tn) / count,
                precision,
                recall,
                f1,
                auc,
                count == 0 ? double.NaN : _logLossSum / count);
        }
    }
}
