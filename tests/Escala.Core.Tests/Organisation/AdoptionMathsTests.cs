using Escala.Core.Adoption;

namespace Escala.Core.Tests.Organisation;

public sealed class AdoptionMathsTests
{
    [Fact]
    public void Strictly_rising_weeks_are_growing_with_the_hand_computed_statistic_and_p_value()
    {
        // n = 5: every one of the 10 pairs rises, S = 10; Var S = 5*4*15/18 = 16.667; Z = (10-1)/4.0825 = 2.2045;
        // p = 2(1 - Φ(2.2045)) = 0.0275.
        var test = MannKendall.Test([100, 120, 130, 150, 170]);

        Assert.Equal(10, test.S);
        Assert.Equal(2.2045, test.Z, 1e-4);
        Assert.Equal(0.0275, test.PValue, 2e-4);
        Assert.Equal(Trend.Growing, test.Trend);
    }

    [Fact]
    public void Falling_weeks_are_declining()
    {
        // n = 6: S = -15; Var S = 6*5*17/18 = 28.333; Z = -14/5.3229 = -2.6301; p = 0.0085.
        var test = MannKendall.Test([60, 50, 45, 40, 30, 20]);

        Assert.Equal(-15, test.S);
        Assert.Equal(-2.6301, test.Z, 1e-4);
        Assert.Equal(0.0085, test.PValue, 2e-4);
        Assert.Equal(Trend.Declining, test.Trend);
    }

    [Fact]
    public void Weeks_that_go_up_and_down_are_stable_and_ties_are_corrected()
    {
        // Pairs: +4 from the first week, -3 from the second, 0 from the third, -2 from the fourth, +1 from the fifth: S = 0.
        var noisy = MannKendall.Test([3, 5, 4, 5, 3, 4]);
        Assert.Equal(0, noisy.S);
        Assert.Equal(1, noisy.PValue, 1e-9);
        Assert.Equal(Trend.Stable, noisy.Trend);

        // Four equal weeks: the tie correction removes all the variance, so nothing can be significant.
        Assert.Equal(Trend.Stable, MannKendall.Test([7, 7, 7, 7]).Trend);
        Assert.Equal(Trend.Insufficient, MannKendall.Test([1, 2, 3]).Trend);
    }

    [Fact]
    public void Breadth_depth_diversity_and_impact_are_the_documented_ratios()
    {
        // 3 of 4 departments active; 30 active users of 120 people; two use cases (one counted twice); 1,250 predictions at 0.30 EUR.
        Assert.Equal(0.75, AdoptionMeasures.Breadth(3, 4));
        Assert.Equal(0.25, AdoptionMeasures.Depth(30, 120));
        Assert.Null(AdoptionMeasures.Depth(5, 0));
        Assert.Equal(2, AdoptionMeasures.Diversity(["credit", "fraud", "credit"]));
        Assert.Equal(375.00m, AdoptionMeasures.Impact(0.30m, 1250));
    }
}
