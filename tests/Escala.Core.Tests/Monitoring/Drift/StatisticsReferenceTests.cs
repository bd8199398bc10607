using Escala.Core.Monitoring.Drift;

namespace Escala.Core.Tests.Monitoring.Drift;

/// <summary>
/// Each statistic against a value from outside this code: a published worked example (quoted with its
/// source), a closed form derived by hand, or an independent computation written differently (named).
/// </summary>
public sealed class StatisticsReferenceTests
{
    private const double Tolerance = 1e-6;

    [Fact]
    public void JensenShannon_matches_the_scipy_documentation_examples()
    {
        // scipy.spatial.distance.jensenshannon docs (scipy 1.2 to 1.13, "Examples"):
        //   jensenshannon([1.0, 0.0, 0.0], [0.0, 1.0, 0.0], 2.0) -> 1.0
        //   jensenshannon([1.0, 0.0], [0.5, 0.5])               -> 0.46450140402245893 (natural log)
        //   jensenshannon([1.0, 0.0, 0.0], [1.0, 0.0, 0.0])     -> 0.0
        Assert.Equal(1.0, JensenShannon.Distance([1.0, 0.0, 0.0], [0.0, 1.0, 0.0], 2.0), Tolerance);
        Assert.Equal(0.46450140402245893, JensenShannon.Distance([1.0, 0.0], [0.5, 0.5], Math.E), Tolerance);
        Assert.Equal(0.0, JensenShannon.Distance([1.0, 0.0, 0.0], [1.0, 0.0, 0.0]), Tolerance);
    }

    [Fact]
    public void JensenShannon_of_counts_normalises_them_first()
    {
        // Same example as above expressed as counts (scipy normalises; so must we).
        Assert.Equal(0.46450140402245893, JensenShannon.Distance(new long[] { 10, 0 }, new long[] { 3, 3 }, Math.E), Tolerance);
    }

    [Fact]
    public void ChiSquare_homogeneity_matches_the_scipy_chi2_contingency_example()
    {
        // scipy.stats.chi2_contingency docs: obs = [[10, 10, 20], [20, 20, 20]] gives chi2 2.7777777777777777,
        // p 0.24935220877729619, dof 2. By hand: row totals 40/60, column totals 30/30/40, expected 12 12 16 / 18 18 24,
        // X² = 4/12 + 4/12 + 16/16 + 4/18 + 4/18 + 16/24 = 25/9; with 2 df the upper tail is exp(-x/2) = exp(-25/18).
        var result = ChiSquareTest.Homogeneity(new long[] { 10, 10, 20 }, new long[] { 20, 20, 20 });
        Assert.Equal(25.0 / 9.0, result.Statistic, Tolerance);
        Assert.Equal(2, result.DegreesOfFreedom);
        Assert.Equal(0.24935220877729619, result.PValue, Tolerance);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    [InlineData(7.3)]
    [InlineData(25.0)]
    public void ChiSquare_upper_tail_matches_closed_forms_for_even_degrees_of_freedom(double x)
    {
        // For df = 2k the survival function is exp(-x/2) Σ_{j<k} (x/2)^j / j! (Poisson sum; derived by repeated integration by parts).
        var h = x / 2;
        Assert.Equal(Math.Exp(-h), ChiSquareDistribution.Survival(x, 2), Tolerance);
        Assert.Equal(Math.Exp(-h) * (1 + h), ChiSquareDistribution.Survival(x, 4), Tolerance);
        Assert.Equal(Math.Exp(-h) * (1 + h + (h * h / 2)), ChiSquareDistribution.Survival(x, 6), Tolerance);
    }

    [Fact]
    public void ChiSquare_with_one_degree_of_freedom_gives_five_percent_at_the_squared_normal_quantile()
    {
        // χ²(1) is Z²; the two-sided 5% point of Z is 1.959963984540054 (standard normal table), so P(χ²₁ > 1.959963984540054²) = 0.05.
        Assert.Equal(0.05, ChiSquareDistribution.Survival(1.959963984540054 * 1.959963984540054, 1), Tolerance);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.6)]
    [InlineData(0.8257228238447705)]
    [InlineData(1.0)]
    [InlineData(1.36)]
    [InlineData(2.5)]
    public void Kolmogorov_survival_matches_the_other_series_form(double lambda)
    {
        // Independent computation: the library uses the theta form below λ = 1 and the alternating series above;
        // here each λ is checked with the form the library does not use there, summed to many terms.
        double expected;
        if (lambda < 1)
        {
            double sum = 0;
            for (var k = 1; k <= 2000; k++)
            {
                sum += (k % 2 == 1 ? 1 : -1) * Math.Exp(-2.0 * k * k * lambda * lambda);
            }

            expected = 2 * sum;
        }
        else
        {
            double sum = 0;
            for (var k = 1; k <= 50; k++)
            {
                sum += Math.Exp(-((2 * k) - 1) * ((2 * k) - 1) * Math.PI * Math.PI / (8 * lambda * lambda));
            }

            expected = 1 - (Math.Sqrt(2 * Math.PI) / lambda * sum);
        }

        Assert.Equal(expected, KolmogorovDistribution.Survival(lambda), 1e-9);
    }

    [Fact]
    public void Kolmogorov_survival_matches_the_published_critical_values()
    {
        // Smirnov (1948) table of the limiting distribution: K(1.3581) = 0.95 and K(1.6276) = 0.99 (to the table's 4 decimals).
        Assert.Equal(0.05, KolmogorovDistribution.Survival(1.3581), 1e-4);
        Assert.Equal(0.01, KolmogorovDistribution.Survival(1.6276), 1e-4);
    }

    [Fact]
    public void KolmogorovSmirnov_on_a_small_hand_worked_case()
    {
        // a = 1..5, b = 3..8. ECDF gaps after each value: 2 -> 0.4, 3 -> 0.6 - 1/6, 4 -> 0.8 - 2/6, 5 -> 1 - 3/6 = 0.5 (the max), 6 -> 1/3.
        // p = Q(√(5·6/11)·0.5) = Q(0.8257228238447705) = 0.5029140336411321, summed independently (Python, alternating series, 200 terms).
        var result = KolmogorovSmirnov.FromSamples([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8]);
        Assert.Equal(0.5, result.Statistic, Tolerance);
        Assert.Equal(0.5029140336411321, result.PValue, Tolerance);

        // The same samples as counts over the bins {1..8} give the same D (one value per bin: exact).
        var binned = KolmogorovSmirnov.FromCounts(new long[] { 1, 1, 1, 1, 1, 0, 0, 0 }, new long[] { 0, 0, 1, 1, 1, 1, 1, 1 });
        Assert.Equal(0.5, binned.Statistic, Tolerance);
        Assert.Equal(result.PValue, binned.PValue, Tolerance);
    }

    [Fact]
    public void KolmogorovSmirnov_handles_ties_across_samples()
    {
        // a = [1, 1, 2], b = [1, 2, 2]: after 1, F_a = 2/3 and F_b = 1/3; after 2 both are 1. D = 1/3 (ties are stepped together).
        Assert.Equal(1.0 / 3.0, KolmogorovSmirnov.FromSamples([1, 1, 2], [1, 2, 2]).Statistic, Tolerance);
    }

    [Fact]
    public void Wasserstein_matches_the_scipy_documentation_examples()
    {
        // scipy.stats.wasserstein_distance docs: ([0, 1, 3], [5, 6, 8]) -> 5.0; ([0, 1], [0, 1], [3, 1], [2, 2]) -> 0.25;
        // ([3.4, 3.9, 7.5, 7.8], [4.5, 1.4], [1.4, 0.9, 3.1, 7.2], [3.2, 3.5]) -> 4.0781331438047861
        // (also recomputed independently in Python as Σ|U(x)-V(x)|·Δx over the merged support: 4.078133143804786).
        Assert.Equal(5.0, Wasserstein.FromSamples([0, 1, 3], [5, 6, 8]), Tolerance);
        Assert.Equal(0.25, Wasserstein.Distance([0, 1], [3, 1], [0, 1], [2, 2]), Tolerance);
        Assert.Equal(4.0781331438047861, Wasserstein.Distance([3.4, 3.9, 7.5, 7.8], [1.4, 0.9, 3.1, 7.2], [4.5, 1.4], [3.2, 3.5]), Tolerance);
    }

    [Fact]
    public void Psi_matches_the_formula_worked_by_hand()
    {
        // Reference shares 0.5/0.3/0.2, current 0.3/0.4/0.3:
        // PSI = (0.3-0.5)ln(0.3/0.5) + (0.4-0.3)ln(0.4/0.3) + (0.3-0.2)ln(0.3/0.2) = 0.10216512 + 0.02876821 + 0.04054651 = 0.17147984.
        Assert.Equal(0.1714798428, PopulationStabilityIndex.Compute(new long[] { 50, 30, 20 }, new long[] { 30, 40, 30 }), 1e-9);
        Assert.Equal(0.0, PopulationStabilityIndex.Compute(new long[] { 5, 5 }, new long[] { 50, 50 }), Tolerance);
    }

    [Fact]
    public void Psi_with_an_empty_bin_uses_the_documented_floor()
    {
        // [1, 0] vs [0, 1]: both empty shares become 1e-4, so PSI = 2·(1 - 1e-4)·ln(1e4) = 18.418863...
        Assert.Equal(2 * (1 - 1e-4) * Math.Log(1e4), PopulationStabilityIndex.Compute(new long[] { 10, 0 }, new long[] { 0, 10 }), Tolerance);
    }
}
