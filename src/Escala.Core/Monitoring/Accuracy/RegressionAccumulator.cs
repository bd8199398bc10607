namespace Escala.Core.Monitoring.Accuracy;

/// <summary>
/// Accumulates (true value, predicted value) pairs: a handful of numbers (count, Σ|e|, Σe², and Welford's
/// running mean and M2 of the true values for a stable R²). Thread-safe; mergeable (Chan et al.'s parallel update).
/// </summary>
public sealed class RegressionAccumulator
{
    private readonly Lock _gate = new();
    private long _count;
    private double _absoluteErrors;
    private double _squaredErrors;
    private double _mean;
    private double _m2;

    /// <summary>Adds one labelled prediction.</summary>
    public void Add(double actual, double predicted)
    {
        if (!double.IsFinite(actual) || !double.IsFinite(predicted))
        {
            throw new ArgumentException($"Actual and predicted values must be finite (got {actual} and {predicted}).");
        }

        var error = predicted - actual;
        lock (_gate)
        {
            _count++;
            _absoluteErrors += Math.Abs(error);
            _squaredErrors += error * error;
            var delta = actual - _mean;
            _mean += delta / _count;
            _m2 += delta * (actual - _mean);
        }
    }

    /// <summary>Adds everything <paramref name="other"/> holds.</summary>
    public void Merge(RegressionAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        long n;
        double abs, sq, mean, m2;
        lock (other._gate)
        {
            (n, abs, sq, mean, m2) = (other._count, other._absoluteErrors, other._squaredErrors, other._mean, other._m2);
        }

        if (n == 0)
        {
            return;
        }

        lock (_gate)
        {
            var total = _count + n;
            var delta = mean - _mean;
            _m2 += m2 + (delta * delta * _count * n / total);
            _mean += delta * n / total;
            _count = total;
            _absoluteErrors += abs;
            _squaredErrors += sq;
        }
    }

    /// <summary>The metrics so far (NaN when empty).</summary>
    public RegressionMetrics Snapshot()
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                return new RegressionMetrics(0, double.NaN, double.NaN, double.NaN);
            }

            return new RegressionMetrics(
                _count,
                _absoluteErrors / _count,
                Math.Sqrt(_squaredErrors / _count),
                _m2 > 0 ? 1 - (_squaredErrors / _m2) : double.NaN);
        }
    }
}
