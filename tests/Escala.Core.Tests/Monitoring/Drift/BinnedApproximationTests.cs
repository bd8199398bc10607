using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Drift;
using Escala.Core.Monitoring.Windows;

namespace Escala.Core.Tests.Monitoring.Drift;

/// <summary>
/// The drift statistics are computed from bounded summaries (the baseline's fine bins). These tests measure
/// how far that is from the exact statistic on the raw samples (the raw-sample functions are themselves
/// checked against published values in <see cref="StatisticsReferenceTests"/>).
/// </summary>
public sealed class BinnedApproximationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.1, 1.0)]
    [InlineData(0.3, 1.5)]
    [InlineData(-1.0, 0.5)]
    public void Binned_KS_and_Wasserstein_stay_within_their_stated_bounds_of_the_exact_values(double mean, double std)
    {
        var reference = Samples.Normal(20_000, 0, 1, seed: 1);
        var current = Samples.Normal(5_000, mean, std, seed: 2);
        var baseline = Samples.Baseline("x", reference);
        var report = Evaluate(baseline, current);
        var drift = report.Features[0];

        var exactKs = KolmogorovSmirnov.FromSamples(reference, current);
        var exactW1 = Wasserstein.FromSamples(reference, current);
        var (ksBound, w1Bound) = Bounds(baseline.Features[0].Numeric!, reference, current);

        output.WriteLine($"shift ({mean}, {std}): KS exact {exactKs.Statistic:F6} binned {drift.KsStatistic:F6} bound {ksBound:F6}; W1 exact {exactW1:F6} binned {drift.Wasserstein:F6} bound {w1Bound:F6}");
        Assert.InRange(exactKs.Statistic - drift.KsStatistic!.Value, -1e-12, ksBound + 1e-12);
        Assert.InRange(Math.Abs(exactW1 - drift.Wasserstein!.Value), 0, w1Bound + 1e-12);

        // With 100 quantile bins the bounds themselves are small: at most 1% of mass per bin for KS.
        Assert.True(ksBound <= 0.0101, $"KS bound {ksBound}");

        // D_bins ≤ D_exact, so the binned p-value is never smaller: the approximation is conservative (fewer alarms, never more).
        Assert.True(drift.KsPValue!.Value >= exactKs.PValue - 1e-12);
    }

    [Fact]
    public void On_a_discrete_feature_each_bin_holds_one_value_so_KS_and_Wasserstein_are_exact()
    {
        var reference = Samples.Binomial(10_000, 20, 0.5, seed: 3);
        var current = Samples.Binomial(3_000, 20, 0.55, seed: 4);
        var report = Evaluate(Samples.Baseline("k", reference), current);
        var drift = report.Features[0];

        Assert.Equal(KolmogorovSmirnov.FromSamples(reference, current).Statistic, drift.KsStatistic!.Value, 1e-9);
        Assert.Equal(Wasserstein.FromSamples(reference, current), drift.Wasserstein!.Value, 1e-9);
    }

    [Fact]
    public void Psi_from_the_window_equals_psi_recounted_from_the_raw_values_on_the_same_bins()
    {
        // PSI is defined on bins, so the bounded summary loses nothing: recount the raw samples on the report's bins.
        var reference = Samples.Normal(10_000, 0, 1, seed: 5);
        var current = Samples.Normal(4_000, 0.4, 1, seed: 6);
        var baseline = Samples.Baseline("x", reference);
        var drift = Evaluate(baseline, current).Features[0];

        var edges = drift.Histogram.Labels.Select(l => l.Trim('(', ']').Split(", ")[1]).Where(h => h != "∞").Select(double.Parse).ToArray();
        long[] Recount(double[] values)
        {
            var counts = new long[edges.Length + 1];
            foreach (var v in values)
            {
                counts[NumericSummary.BinOf(edges, v)]++;
            }

            return counts;
        }

        // Labels print edges to 4 significant digits, so compare with a tolerance matching that rounding.
        Assert.Equal(PopulationStabilityIndex.Compute(Recount(reference), Recount(current)), drift.Psi, 2e-3);
        Assert.Equal(10, drift.Histogram.Labels.Length);
    }

    private static DriftReport Evaluate(BaselineProfile baseline, double[] current)
    {
        var window = new WindowAccumulator(baseline);
        foreach (var value in current)
        {
            window.Add([FeatureValue.Of(value)]);
        }

        return new DriftDetector(baseline).Evaluate(window.Close(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch));
    }

    /// <summary>
    /// KS: D_exact - D_bins ≤ maxᵢ min(pᵢ, qᵢ). W1: |W_bins - W_exact| ≤ Σᵢ spreadᵢ·(pᵢ + qᵢ)/2 with spreadᵢ the range of values in bin i.
    /// </summary>
    private static (double Ks, double W1) Bounds(NumericSummary summary, double[] reference, double[] current)
    {
        var bins = summary.BinCount;
        var p = new double[bins];
        var q = new double[bins];
        var lo = Enumerable.Repeat(double.PositiveInfinity, bins).ToArray();
        var hi = Enumerable.Repeat(double.NegativeInfinity, bins).ToArray();
        void Count(double[] values, double[] shares)
        {
            foreach (var v in values)
            {
                var b = NumericSummary.BinOf(summary.Edges, v);
                shares[b] += 1.0 / values.Length;
                lo[b] = Math.Min(lo[b], v);
                hi[b] = Math.Max(hi[b], v);
            }
        }

        Count(reference, p);
        Count(current, q);
        double ks = 0, w1 = 0;
        for (var i = 0; i < bins; i++)
        {
            ks = Math.Max(ks, Math.Min(p[i], q[i]));
            if (hi[i] >= lo[i])
            {
                w1 += (hi[i] - lo[i]) * (p[i] + q[i]) / 2;
            }
        }

        return (ks, w1);
    }
}
