using System.Globalization;
using Escala.Core.Monitoring.Baselines;
using Escala.Core.Monitoring.Windows;

namespace Escala.Core.Monitoring.Drift;

/// <summary>
/// Compares closed windows with a version's baseline. Built once per (version, policy); <see cref="Evaluate"/>
/// is thread-safe and costs microseconds per column whatever the window's size, because it reads only the
/// window's bounded summaries (see docs/monitoring.md for how each statistic follows from them).
/// </summary>
public sealed class DriftDetector
{
    /// <summary>Chi-square categories whose expected count is below this in either row are pooled (the usual validity rule).</summary>
    public const double MinimumExpectedCount = 5;

    private readonly BaselineProfile _baseline;
    private readonly DriftPolicy _policy;
    private readonly ColumnModel[] _columns;

    /// <summary>Prepares the comparison; throws <see cref="ArgumentException"/> when the policy does not fit a column's kind.</summary>
    public DriftDetector(BaselineProfile baseline, DriftPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        _baseline = baseline;
        _policy = policy ?? DriftPolicy.Default;
        _policy.Validate();
        var count = baseline.Features.Count + (baseline.Prediction is null ? 0 : 1);
        _columns = new ColumnModel[count];
        for (var i = 0; i < count; i++)
        {
            var profile = i < baseline.Features.Count ? baseline.Features[i] : baseline.Prediction!;
            var rule = _policy.RuleFor(profile.Name, profile.Kind);
            if (profile.Kind == FeatureKind.Categorical && rule.Method is DriftMethod.KolmogorovSmirnov or DriftMethod.Wasserstein)
            {
                throw new ArgumentException($"Column '{profile.Name}' is categorical; {rule.Method} needs ordered values. Use Psi, ChiSquare or JensenShannon.");
            }

            _columns[i] = profile.Kind == FeatureKind.Numeric
                ? ColumnModel.ForNumeric(profile, rule, _policy.PsiBins)
                : ColumnModel.ForCategorical(profile, rule);
        }
    }

    /// <summary>The policy in force.</summary>
    public DriftPolicy Policy => _policy;

    /// <summary>Drift of every feature and of the prediction in <paramref name="window"/> (taken over this detector's baseline).</summary>
    public DriftReport Evaluate(WindowSnapshot window)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (window.Features.Count != _baseline.Features.Count || (window.Prediction is null) != (_baseline.Prediction is null))
        {
            throw new ArgumentException("The window was not taken over this detector's baseline (column count differs).", nameof(window));
        }

        var statistics = new ColumnStatistics[_columns.Length];
        var judged = 0;
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = i < window.Features.Count ? window.Features[i] : window.Prediction!;
            statistics[i] = _columns[i].Measure(column);
            if (statistics[i].WindowCount >= _policy.MinimumCount && _columns[i].Profile.Present > 0)
            {
                judged++;
            }
        }

        var results = new FeatureDrift[_columns.Length];
        for (var i = 0; i < _columns.Length; i++)
        {
            results[i] = Judge(_columns[i], statistics[i], Math.Max(judged, 1));
        }

        var features = _baseline.Prediction is null ? results : results[..^1];
        return new DriftReport(window.Start, window.End, window.Rows, judged, _policy.Alpha, features, _baseline.Prediction is null ? null : results[^1]);
    }

    private FeatureDrift Judge(ColumnModel model, ColumnStatistics s, int judged)
    {
        var rule = _policy.Resolve(model.Rule, model.Profile.Kind, s.WindowCount);
        var score = rule.Method switch
        {
            DriftMethod.Psi => s.Psi,
            DriftMethod.JensenShannon => s.JensenShannon,
            DriftMethod.Wasserstein => s.WassersteinNormalized ?? double.NaN,
            DriftMethod.KolmogorovSmirnov => s.KsPValue ?? double.NaN,
            _ => s.ChiSquarePValue,
        };

        DriftVerdict verdict;
        if (s.WindowCount < _policy.MinimumCount || model.Profile.Present == 0)
        {
            verdict = DriftVerdict.InsufficientData;
        }
        else if (rule.Method is DriftMethod.KolmogorovSmirnov or DriftMethod.ChiSquare)
        {
            verdict = score < rule.Threshold / judged ? DriftVerdict.Drifted : DriftVerdict.Stable;
        }
        else
        {
            verdict = score >= rule.Threshold && s.SignificancePValue < _policy.Alpha / judged
                ? DriftVerdict.Drifted
                : DriftVerdict.Stable;
        }

        var profile = model.Profile;
        var numeric = profile.Kind == FeatureKind.Numeric;
        return new FeatureDrift(
            profile.Name,
            profile.Kind,
            rule.Method,
            rule.Threshold,
            score,
            verdict,
            profile.Present,
            s.WindowCount,
            profile.MissingRate,
            s.WindowMissingRate,
            s.Invalid,
            s.Psi,
            s.JensenShannon,
            s.SignificancePValue,
            s.KsStatistic,
            s.KsPValue,
            s.Wasserstein,
            s.WassersteinNormalized,
            s.ChiSquare,
            s.ChiSquareDegreesOfFreedom,
            s.ChiSquarePValue,
            numeric ? s.WindowMean : null,
            numeric ? profile.Numeric!.Mean : null,
            s.Histogram);
    }

    private readonly record struct ColumnStatistics(
        long WindowCount,
        double WindowMissingRate,
        long Invalid,
        double Psi,
        double JensenShannon,
        double SignificancePValue,
        double? KsStatistic,
        double? KsPValue,
        double? Wasserstein,
        double? WassersteinNormalized,
        double ChiSquare,
        int ChiSquareDegreesOfFreedom,
        double ChiSquarePValue,
        double WindowMean,
        DriftHistogram Histogram);

    /// <summary>What is precomputed from the baseline for one column.</summary>
    private sealed class ColumnModel
    {
        private ColumnModel(ColumnProfile profile, DriftRule rule, long[] coarseBaseline, int[] groupOfSlot, string[] labels)
        {
            Profile = profile;
            Rule = rule;
            CoarseBaseline = coarseBaseline;
            GroupOfSlot = groupOfSlot;
            Labels = labels;
        }

        public ColumnProfile Profile { get; }

        public DriftRule Rule { get; }

        // Numeric: fine bins grouped into ~PsiBins equal-mass bins. Categorical: identity over category slots.
        private long[] CoarseBaseline { get; }

        private int[] GroupOfSlot { get; }

        private string[] Labels { get; }

        public static ColumnModel ForNumeric(ColumnProfile profile, DriftRule rule, int psiBins)
        {
            var numeric = profile.Numeric!;
            var counts = numeric.Counts;
            var total = profile.Present;
            var group = new int[counts.Length];
            var g = 0;
            long cumulative = 0;
            for (var i = 0; i < counts.Length; i++)
            {
                group[i] = g;
                cumulative += counts[i];
                if (g < psiBins - 1 && cumulative * psiBins >= (g + 1) * total && total > 0)
                {
                    g++;
                }
            }

            // The bin above the reference maximum is usually empty in the reference; it stays a group of its own so that
            // mass moving beyond the seen range shows in PSI and Jensen-Shannon (its share is floored at Epsilon).
            var groups = 0;
            foreach (var value in group)
            {
                groups = Math.Max(groups, value + 1);
            }

            var coarse = new long[groups];
            var first = new int[groups];
            var lastBin = new int[groups];
            Array.Fill(first, int.MaxValue);
            for (var i = 0; i < counts.Length; i++)
            {
                coarse[group[i]] += counts[i];
                first[group[i]] = Math.Min(first[group[i]], i);
                lastBin[group[i]] = Math.Max(lastBin[group[i]], i);
            }

            var labels = new string[groups];
            for (var k = 0; k < groups; k++)
            {
                var lo = first[k] == 0 ? double.NegativeInfinity : numeric.Edges[first[k] - 1];
                var hi = lastBin[k] >= numeric.Edges.Length ? double.PositiveInfinity : numeric.Edges[lastBin[k]];
                labels[k] = string.Create(CultureInfo.InvariantCulture, $"({lo:G4}, {hi:G4}]");
            }

            return new ColumnModel(profile, rule, coarse, group, labels);
        }

        public static ColumnModel ForCategorical(ColumnProfile profile, DriftRule rule)
        {
            var categorical = profile.Categorical!;
            var slots = categorical.SlotCount;
            var coarse = new long[slots];
            categorical.Counts.CopyTo(coarse, 0);
            coarse[^1] = categorical.OtherCount;
            var group = new int[slots];
            for (var i = 0; i < slots; i++)
            {
                group[i] = i;
            }

            string[] labels = [.. categorical.Categories, "(other)"];
            return new ColumnModel(profile, rule, coarse, group, labels);
        }

        public ColumnStatistics Measure(ColumnWindow window)
        {
            if (window.Counts.Length != GroupOfSlot.Length)
            {
                throw new ArgumentException($"Window column '{window.Name}' has {window.Counts.Length} bins; the baseline has {GroupOfSlot.Length}.");
            }

            var coarseWindow = new long[CoarseBaseline.Length];
            for (var i = 0; i < window.Counts.Length; i++)
            {
                coarseWindow[GroupOfSlot[i]] += window.Counts[i];
            }

            var present = window.Present;
            var rows = present + window.Missing + window.Invalid;
            var missingRate = rows == 0 ? 0 : (double)window.Missing / rows;
            var psi = PopulationStabilityIndex.Compute(CoarseBaseline, coarseWindow);
            var js = JensenShannon.Distance(CoarseBaseline, coarseWindow);
            var chi = PooledChiSquare(CoarseBaseline, coarseWindow);
            var histogram = new DriftHistogram(Labels, Shares(CoarseBaseline), Shares(coarseWindow));

            if (Profile.Kind == FeatureKind.Categorical)
            {
                return new ColumnStatistics(present, missingRate, window.Invalid, psi, js, chi.PValue, null, null, null, null, chi.Statistic, chi.DegreesOfFreedom, chi.PValue, double.NaN, histogram);
            }

            var numeric = Profile.Numeric!;
            var ks = KolmogorovSmirnov.FromCounts(numeric.Counts, window.Counts);
            var windowMeans = new double[window.Counts.Length];
            var windowWeights = new double[window.Counts.Length];
            for (var i = 0; i < windowMeans.Length; i++)
            {
                windowWeights[i] = window.Counts[i];
                windowMeans[i] = window.Counts[i] > 0 ? window.BinSums![i] / window.Counts[i] : numeric.BinMeans[i];
            }

            var baselineWeights = new double[numeric.Counts.Length];
            for (var i = 0; i < baselineWeights.Length; i++)
            {
                baselineWeights[i] = numeric.Counts[i];
            }

            var w1 = Wasserstein.Distance(numeric.BinMeans, baselineWeights, windowMeans, windowWeights);

            // A constant reference feature has no spread to normalise by; its scale is then its magnitude (or 1).
            var scale = numeric.StdDev > 0 ? numeric.StdDev : Math.Abs(numeric.Mean) > 0 ? Math.Abs(numeric.Mean) : 1;
            return new ColumnStatistics(present, missingRate, window.Invalid, psi, js, ks.PValue, ks.Statistic, ks.PValue, w1, w1 / scale, chi.Statistic, chi.DegreesOfFreedom, chi.PValue, window.Mean, histogram);
        }

        private static double[] Shares(long[] counts)
        {
            double total = 0;
            foreach (var c in counts)
            {
                total += c;
            }

            var shares = new double[counts.Length];
            for (var i = 0; i < counts.Length && total > 0; i++)
            {
                shares[i] = counts[i] / total;
            }

            return shares;
        }

        private static ChiSquareResult PooledChiSquare(long[] a, long[] b)
        {
            double ta = 0, tb = 0;
            for (var i = 0; i < a.Length; i++)
            {
                ta += a[i];
                tb += b[i];
            }

            var total = ta + tb;
            if (total == 0)
            {
                return new ChiSquareResult(0, 0, 1);
            }

            var keptA = new List<long>(a.Length + 1);
            var keptB = new List<long>(a.Length + 1);
            long pooledA = 0, pooledB = 0;
            for (var i = 0; i < a.Length; i++)
            {
                double column = a[i] + b[i];
                if (Math.Min(ta, tb) * column / total < MinimumExpectedCount)
                {
                    pooledA += a[i];
                    pooledB += b[i];
                }
                else
                {
                    keptA.Add(a[i]);
                    keptB.Add(b[i]);
                }
            }

            if (pooledA + pooledB > 0)
            {
                keptA.Add(pooledA);
                keptB.Add(pooledB);
            }

            return ChiSquareTest.Homogeneity(keptA.ToArray(), keptB.ToArray());
        }
    }
}
