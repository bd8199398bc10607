using Escala.Core.Costs;
using Escala.Core.Problems;

namespace Escala.Core.Tests.Organisation;

public sealed class CostTests
{
    private static readonly CostModel Model = new("*", "EUR", NodeCostPerHour: 0.5m, Nodes: 1, FixedMonthly: 1000m, PricePer1000: 2m);

    [Fact]
    public void Chargeback_of_equal_usage_gives_the_left_over_cent_to_one_department_and_sums_to_the_total()
    {
        // 10000 cents / 3 = 3333.33 each: floors sum to 9999, the one cent left goes to the first by name (operations).
        var shares = Chargeback.Allocate(100m, [("risk", 1), ("operations", 1), ("retail", 1)]);

        Assert.Equal(100m, shares.Sum(s => s.Amount));
        Assert.Equal([("risk", 33.33m), ("operations", 33.34m), ("retail", 33.33m)], shares);
    }

    [Fact]
    public void Chargeback_gives_left_over_cents_to_the_largest_remainders()
    {
        // 100 cents by 7:3:1 = 63.64, 27.27, 9.09: floors 63 + 27 + 9 = 99, the cent goes to the .64 remainder.
        var shares = Chargeback.Allocate(1m, [("a", 7), ("b", 3), ("c", 1)]);

        Assert.Equal([("a", 0.64m), ("b", 0.27m), ("c", 0.09m)], shares);
        Assert.Equal(1m, shares.Sum(s => s.Amount));
    }

    [Fact]
    public void Monthly_cost_adds_nodes_fixed_and_per_prediction_parts()
    {
        // 0.5 x 1 x 720 + 1000 + 2 x 6000 / 1000 = 360 + 1000 + 12.
        Assert.Equal(1372m, Model.MonthlyCost(6000));
    }

    [Fact]
    public void Projection_scales_per_user_volume_to_the_remaining_headcount_and_states_the_growth()
    {
        // 2000 predictions in 10 days = 6000 a month; 20 users -> 300 each; 300 more people -> 6000 + 90000 = 96000.
        // Without a capacity test the node count stays: 360 + 1000 + 192 = 1552; growth 1552 / 1372 = 1.1312.
        var flat = CostProjection.Project(new PilotUsage(2000, 20, 10, 300), Model, null);
        Assert.Equal(6000, flat.PilotMonthlyPredictions);
        Assert.Equal(300, flat.PredictionsPerUserMonth);
        Assert.Equal(96000, flat.ProjectedMonthlyPredictions);
        Assert.Equal(1552m, flat.ProjectedMonthlyCost);
        Assert.Equal(1552.0 / 1372, flat.GrowthFactor!.Value, 1e-9);

        // Peak = 96000 / (22 x 8 x 3600) x 2 = 0.30303/s; at 0.1/s per node with 30 % headroom: ceil(0.30303 / 0.07) = 5 nodes.
        // 0.5 x 5 x 720 + 1000 + 192 = 2992; growth 2992 / 1372 = 2.1808.
        var sized = CostProjection.Project(new PilotUsage(2000, 20, 10, 300), Model, 0.1);
        Assert.Equal(5, sized.ProjectedNodes);
        Assert.Equal(2992m, sized.ProjectedMonthlyCost);
        Assert.Equal(2.1808, sized.GrowthFactor!.Value, 1e-4);
    }

    [Fact]
    public void Negative_costs_are_refused_naming_the_amount()
    {
        var problem = Assert.Throws<ProblemException>(() => (Model with { FixedMonthly = -5 }).Validated());
        Assert.Equal(ProblemTypes.ValidationFailed, problem.Type);
        Assert.Contains("fixed monthly", problem.Detail, StringComparison.Ordinal);
    }
}
