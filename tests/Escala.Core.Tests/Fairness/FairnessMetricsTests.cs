using Escala.Core.Fairness;

namespace Escala.Core.Tests.Fairness;

public sealed class FairnessMetricsTests
{
    // Group A (40 rows): 20 actual positives (16 predicted positive, 4 not), 20 actual negatives (4 predicted positive, 16 not).
    // Group B (40 rows): 10 actual positives (5 / 5), 30 actual negatives (3 predicted positive, 27 not).
    // Group C (5 rows): below the minimum group size.
    private static readonly FairnessRow[] Rows =
    [
        .. Make("A", tp: 16, fn: 4, fp: 4, tn: 16),
        .. Make("B", tp: 5, fn: 5, fp: 3, tn: 27),
        .. Make("C", tp: 1, fn: 0, fp: 0, tn: 4),
    ];

    [Fact]
    public void Group_metrics_and_disparities_match_the_hand_computed_values()
    {
        var report = FairnessMetrics.Compute("sex", Rows, new FairnessOptions { MinGroupSize = 30, BootstrapSamples = 200 });

        var a = report.Groups.Single(g => g.Group == "A");
        Assert.Equal(0.5, a.SelectionRate!.Value, 12);     // (TP + FP) / n = (16 + 4) / 40
        Assert.Equal(0.8, a.TruePositiveRate!.Value, 12);  // TP / (TP + FN) = 16 / 20
        Assert.Equal(0.2, a.FalsePositiveRate!.Value, 12); // FP / (FP + TN) = 4 / 20
        Assert.Equal(0.8, a.Accuracy!.Value, 12);          // (TP + TN) / n = 32 / 40
        var b = report.Groups.Single(g => g.Group == "B");
        Assert.Equal(0.2, b.SelectionRate!.Value, 12);     // (5 + 3) / 40
        Assert.Equal(0.5, b.TruePositiveRate!.Value, 12);  // 5 / 10
        Assert.Equal(0.1, b.FalsePositiveRate!.Value, 12); // 3 / 30
        Assert.Equal(0.8, b.Accuracy!.Value, 12);          // (5 + 27) / 40

        Assert.Equal(0.3, report.DemographicParityDifference.Value!.Value, 12); // max − min selection rate = 0.5 − 0.2
        Assert.Equal(0.4, report.DemographicParityRatio.Value!.Value, 12);      // min / max = 0.2 / 0.5
        Assert.Equal(0.3, report.EqualOpportunityDifference.Value!.Value, 12);  // max − min TPR = 0.8 − 0.5
        Assert.Equal(0.3, report.EqualizedOddsDifference.Value!.Value, 12);     // max(TPR diff 0.3, FPR diff 0.2 − 0.1 = 0.1)
        Assert.Equal(0.5, report.EqualizedOddsRatio.Value!.Value, 12);          // min(TPR ratio 0.5/0.8 = 0.625, FPR ratio 0.1/0.2 = 0.5)
        Assert.Equal(0.4, report.DisparateImpactRatio.Value!.Value, 12);        // min / max selection rate
        Assert.True(report.FourFifthsViolated);                                 // 0.4 < 0.8

        // The small group is shown, flagged and left out of every comparison.
        Assert.True(report.Groups.Single(g => g.Group == "C").TooSmall);
        Assert.Equal(["A", "B"], report.Compared);
        Assert.Contains(report.Notes, n => n.Contains("'C' has 5 rows", StringComparison.Ordinal));
    }

    [Fact]
    public void Intervals_bracket_the_estimate_and_are_reproducible()
    {
        var first = FairnessMetrics.Compute("sex", Rows, new FairnessOptions { BootstrapSamples = 500 });
        var again = FairnessMetrics.Compute("sex", Rows, new FairnessOptions { BootstrapSamples = 500 });

        foreach (var d in new[] { first.DemographicParityDifference, first.DemographicParityRatio, first.EqualOpportunityDifference, first.EqualizedOddsDifference, first.EqualizedOddsRatio, first.DisparateImpactRatio })
        {
            Assert.NotNull(d.Lower);
            Assert.InRange(d.Value!.Value, d.Lower!.Value, d.Upper!.Value);
        }

        Assert.Equal(first.EqualizedOddsDifference, again.EqualizedOddsDifference);
        Assert.Equal(500, first.BootstrapSamples);
    }

    [Fact]
    public void With_one_group_large_enough_nothing_is_compared()
    {
        var report = FairnessMetrics.Compute("sex", Rows, new FairnessOptions { MinGroupSize = 41 });

        Assert.Empty(report.Compared);
        Assert.Null(report.DemographicParityDifference.Value);
        Assert.Null(report.FourFifthsViolated);
        Assert.Contains(report.Notes, n => n.Contains("disparities need two", StringComparison.Ordinal));
    }

    [Fact]
    public void Bootstrap_intervals_cover_the_true_disparities_at_their_nominal_rate()
    {
        // Two groups of 300 with known rates: P(selected) = 0.5 vs 0.35 overall; labels positive with probability 0.4;
        // TPR 0.8 vs 0.6, FPR 0.3 vs 0.183..., so the true values are known exactly.
        const int simulations = 200;
        var truth = (dpDifference: 0.0, impact: 0.0, opportunity: 0.8 - 0.6);
        double Selection(double tpr, double fpr) => (0.4 * tpr) + (0.6 * fpr);
        var (fprA, fprB) = (0.3, 0.55 / 3);
        truth.dpDifference = Selection(0.8, fprA) - Selection(0.6, fprB);
        truth.impact = Selection(0.6, fprB) / Selection(0.8, fprA);
        var covered = (dp: 0, impact: 0, opportunity: 0);
        var random = new Random(42);
        for (var s = 0; s < simulations; s++)
        {
            var rows = new List<FairnessRow>(600);
            foreach (var (group, tpr, fpr) in new[] { ("A", 0.8, fprA), ("B", 0.6, fprB) })
            {
                for (var i = 0; i < 300; i++)
                {
                    var actual = random.NextDouble() < 0.4;
                    rows.Add(new FairnessRow(group, random.NextDouble() < (actual ? tpr : fpr), actual));
                }
            }

            var report = FairnessMetrics.Compute("g", rows, new FairnessOptions { BootstrapSamples = 250, Seed = s });
            covered.dp += Covers(report.DemographicParityDifference, truth.dpDifference);
            covered.impact += Covers(report.DisparateImpactRatio, truth.impact);
            covered.opportunity += Covers(report.EqualOpportunityDifference, truth.opportunity);
        }

        // Nominal 95 %: with 200 simulations the observed rate's standard error is 1.5 points; percentile intervals run slightly narrow.
        Assert.InRange(covered.dp / (double)simulations, 0.90, 0.99);
        Assert.InRange(covered.impact / (double)simulations, 0.90, 0.99);
        Assert.InRange(covered.opportunity / (double)simulations, 0.90, 0.99);
    }

    private static int Covers(Disparity d, double truth) => d.Lower <= truth && truth <= d.Upper ? 1 : 0;

    private static IEnumerable<FairnessRow> Make(string group, int tp, int fn, int fp, int tn) =>
        Enumerable.Repeat(new FairnessRow(group, true, true), tp)
            .Concat(Enumerable.Repeat(new FairnessRow(group, false, true), fn))
            .Concat(Enumerable.Repeat(new FairnessRow(group, true, false), fp))
            .Concat(Enumerable.Repeat(new FairnessRow(group, false, false), tn));
}
