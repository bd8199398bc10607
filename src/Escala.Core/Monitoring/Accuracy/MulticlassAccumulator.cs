namespace Escala.Core.Monitoring.Accuracy;

/// <summary>Accumulates (true class, predicted class, probability of the true class) for a k-class classifier: a k x k confusion matrix and a log-loss sum. Thread-safe; mergeable.</summary>
public sealed class MulticlassAccumulator
{
    private readonly Lock _gate = new();
    private readonly long[] _confusion;
    private double _logLossSum;
    private long _withProbability;

    /// <summary>Creates an accumulator for classes 0..<paramref name="classes"/>-1.</summary>
    public MulticlassAccumulator(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classes, 4096);
        Classes = classes;
        _confusion = new long[classes * classes];
    }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Adds one labelled prediction; <paramref name="probabilityOfActual"/> (NaN when unknown) feeds the log loss.</summary>
    public void Add(int actual, int predicted, double probabilityOfActual = double.NaN)
    {
        if ((uint)actual >= (uint)Classes || (uint)predicted >= (uint)Classes)
        {
            throw new ArgumentOutOfRangeException(nameof(actual), $"Classes must be in [0, {Classes - 1}] (got actual {actual}, predicted {predicted}).");
        }

        lock (_gate)
        {
            _confusion[(actual * Classes) + predicted]++;
            if (!double.IsNaN(probabilityOfActual))
            {
                _logLossSum -= Math.Log(Math.Clamp(probabilityOfActual, BinaryClassificationAccumulator.ProbabilityClip, 1));
                _withProbability++;
            }
        }
    }

    /// <summary>Adds everything <paramref name="other"/> holds.</summary>
    public void Merge(MulticlassAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Classes != Classes)
        {
            throw new ArgumentException("Accumulators with different class counts cannot be merged.", nameof(other));
        }

        long[] confusion;
        double logLoss;
        long withProbability;
        lock (other._gate)
        {
            confusion = (long[])other._confusion.Clone();
            (logLoss, withProbability) = (other._logLossSum, other._withProbability);
        }

        lock (_gate)
        {
            for (var i = 0; i < confusion.Length; i++)
            {
                _confusion[i] += confusion[i];
            }

            _logLossSum += logLoss;
            _withProbability += withProbability;
        }
    }

    /// <summary>The metrics so far.</summary>
    public MulticlassMetrics Snapshot()
    {
        long[] m;
        double logLoss;
        long withProbability;
        lock (_gate)
        {
            m = (long[])_confusion.Clone();
            (logLoss, withProbability) = (_logLossSum, _withProbability);
        }

        var k = Classes;
        long total = 0, correct = 0;
        double precisionSum = 0, recallSum = 0, f1Sum = 0;
        var labels = 0;
        for (var c = 0; c < k; c++)
        {
            long tp = m[(c * k) + c], actual = 0, predicted = 0;
            for (var j = 0; j < k; j++)
            {
                actual += m[(c * k) + j];
                predicted += m[(j * k) + c];
            }

            total += actual;
            correct += tp;

            // As scikit-learn's macro average: over the labels seen in truth or predictions, an undefined ratio counting 0.
            if (actual == 0 && predicted == 0)
            {
                continue;
            }

            labels++;
            double precision = predicted > 0 ? (double)tp / predicted : 0;
            double recall = actual > 0 ? (double)tp / actual : 0;
            precisionSum += precision;
            recallSum += recall;
            f1Sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }

        return new MulticlassMetrics(
            total,
            total == 0 ? double.NaN : (double)correct / total,
            labels == 0 ? double.NaN : precisionSum / labels,
            labels == 0 ? double.NaN : recallSum / labels,
            labels == 0 ? double.NaN : f1Sum / labels,
            withProbability == 0 ? double.NaN : logLoss / withProbability,
            m);
    }
}
