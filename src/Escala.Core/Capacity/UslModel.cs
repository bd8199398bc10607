namespace Escala.Core.Capacity;

/// <summary>
/// Gunther's Universal Scalability Law: X(N) = λN / (1 + σ(N−1) + κN(N−1)), where σ is contention
/// (queueing on a shared resource), κ coherency (crosstalk that makes throughput fall past a peak)
/// and λ the throughput of one unit of concurrency.
/// </summary>
public sealed record UslModel(double Sigma, double Kappa, double Lambda)
{
    /// <summary>The modelled throughput at concurrency <paramref name="n"/>.</summary>
    public double ThroughputAt(double n) => Lambda * n / (1 + Sigma * (n - 1) + Kappa * n * (n - 1));

    /// <summary>
    /// The whole concurrency at which throughput peaks, floor(sqrt((1−σ)/κ)); null when κ is zero
    /// (throughput approaches λ/σ and never falls, so the model names no peak).
    /// </summary>
    public double? PeakConcurrency => Kappa > 0 ? Math.Max(1, Math.Floor(Math.Sqrt((1 - Sigma) / Kappa))) : null;

    /// <summary>The throughput at <see cref="PeakConcurrency"/>, or the asymptote λ/σ when there is no peak (infinity if σ is 0 too).</summary>
    public double PeakThroughput => PeakConcurrency is { } n ? ThroughputAt(n) : Sigma > 0 ? Lambda / Sigma : double.PositiveInfinity;
}
