using Escala.Core.Routing;
using static Escala.Core.Tests.Routing.Tables;

namespace Escala.Core.Tests.Routing;

public sealed class RoutingPlanProportionTests
{
    [Theory]
    [InlineData(1, 30.0)]
    [InlineData(2, 10.0)]
    [InlineData(3, 1.0)]
    public void Split_sends_each_version_its_percentage_of_10000_requests(int seed, double newPercent)
    {
        var table = Deployed(new Deployment(V(1), Strategy.Single), new Deployment(V(2), Strategy.Split, Percent: newPercent));
        var plan = RoutingPlan.Compile(table);

        var counts = Proportions.CountByDraws(plan, seed);

        Proportions.AssertShare(plan, counts, "credit:2", newPercent / 100);
        Proportions.AssertShare(plan, counts, "credit:1", 1 - newPercent / 100);
    }

    [Fact]
    public void Split_over_three_versions_keeps_every_share()
    {
        var table = Ok(RoutingTable.Empty.Deploy(new Deployment(V(1), Strategy.Single), T0)) with { };
        table = table with
        {
            Targets = [V(1), V(2), V(3)],
            Default = new SplitPolicy([new("credit:1", 50), new("credit:2", 30), new("credit:3", 20)]),
        };
        var plan = RoutingPlan.Compile(table);

        var counts = Proportions.CountByDraws(plan, seed: 7);

        Proportions.AssertShare(plan, counts, "credit:1", 0.5);
        Proportions.AssertShare(plan, counts, "credit:2", 0.3);
        Proportions.AssertShare(plan, counts, "credit:3", 0.2);
    }

    [Fact]
    public void Canary_takes_each_steps_share_as_it_is_promoted()
    {
        var table = Deployed(new Deployment(V(1), Strategy.Single), new Deployment(V(2), Strategy.Canary, Steps: Steps(5, 25, 50, 100)));

        foreach (var (step, share) in new[] { (1, 0.05), (2, 0.25), (3, 0.50) })
        {
            var plan = RoutingPlan.Compile(table);
            var counts = Proportions.CountByDraws(plan, seed: 100 + step);
            Proportions.AssertShare(plan, counts, "credit:2", share);
            Proportions.AssertShare(plan, counts, "credit:1", 1 - share);
            table = Ok(table.Promote(null, null, T0.AddMinutes(step)));
        }

        var full = RoutingPlan.Compile(table);
        var atFull = Proportions.CountByDraws(full, seed: 200);
        Assert.Equal(Proportions.Requests, atFull[full.IndexOf("credit:2")]);
    }

    [Fact]
    public void Blue_green_sends_everything_to_the_live_side_and_nothing_to_the_standby()
    {
        var table = Deployed(new Deployment(V(1), Strategy.Single), new Deployment(V(2), Strategy.BlueGreen));
        var before = RoutingPlan.Compile(table);
        var switched = RoutingPlan.Compile(Ok(table.Promote(null, null, T0)));

        var beforeCounts = Proportions.CountByDraws(before, seed: 3);
        var afterCounts = Proportions.CountByDraws(switched, seed: 3);

        Assert.Equal(Proportions.Requests, beforeCounts[before.IndexOf("credit:1")]);
        Assert.Equal(0, beforeCounts[before.IndexOf("credit:2")]);
        Assert.Equal(Proportions.Requests, afterCounts[switched.IndexOf("credit:2")]);
        Assert.Equal(0, afterCounts[switched.IndexOf("credit:1")]);
        // Both stay in the plan, so the standby is loaded and warm for an instant switch back.
        Assert.Equal(2, switched.Targets.Length);
    }

    [Theory]
    [InlineData(100.0)]
    [InlineData(30.0)]
    public void Shadow_never_answers_and_gets_its_share_of_copies(double percent)
    {
        var table = Deployed(new Deployment(V(1), Strategy.Single), new Deployment(V(2), Strategy.Shadow, Percent: percent));
        var plan = RoutingPlan.Compile(table);
        var random = new Random(11);
        var answered = new int[plan.Targets.Length];
        var copies = 0;

        for (var i = 0; i < Proportions.Requests; i++)
        {
            var d = plan.Route(new RouteRequest(null, null, (uint)random.NextInt64(0, 1L << 32), (uint)random.NextInt64(0, 1L << 32)));
            answered[d.Target]++;
            if (d.Shadow >= 0)
            {
                Assert.Equal(plan.IndexOf("credit:2"), d.Shadow);
                copies++;
            }
        }

        Assert.Equal(Proportions.Requests, answered[plan.IndexOf("credit:1")]);
        Assert.Equal(0, answered[plan.IndexOf("credit:2")]);
        if (percent >= 100)
        {
            Assert.Equal(Proportions.Requests, copies);
        }
        else
        {
            Proportions.AssertCount(copies, percent / 100, "shadow copies");
        }
    }

    [Theory]
    [InlineData(50.0)]
    [InlineData(20.0)]
    public void Ab_assigns_10000_distinct_subjects_in_the_configured_proportion(double percentB)
    {
        var table = Deployed(new Deployment(V(1), Strategy.Single), new Deployment(V(2), Strategy.Ab, Percent: percentB));
        var plan = RoutingPlan.Compile(table);
        var counts = new int[plan.Targets.Length];

        for (var i = 0; i < Proportions.Requests; i++)
        {
            // The draw is irrelevant for sticky routing; zero proves it is not used.
            var d = plan.Route(new RouteRequest(null, $"user-{i}", 0, 0));
            Assert.Equal(RouteReason.Sticky, d.Reason);
            counts[d.Target]++;
        }

        Proportions.AssertShare(plan, counts, "credit:2", percentB / 100);
    }

    [Fact]
    public void Route_allocates_nothing_per_request()
    {
        var table = Deployed(
            new Deployment(V(1), Strategy.Single),
            new Deployment(V(2), Strategy.Ab, Percent: 30),
            new Deployment(V(3), Strategy.Canary, Department: "pilot"));
        var plan = RoutingPlan.Compile(table);
        var subjects = Enumerable.Range(0, 64).Select(i => $"user-{i}").ToArray();
        var sink = 0;
        for (var i = 0; i < 1000; i++)
        {
            sink += plan.Route(RouteRequest.WithRandomDraws(i % 2 == 0 ? "pilot" : "finance", subjects[i % 64])).Target; // warm up
        }

        var allocated = Allocations.BestOf(3, () =>
        {
            for (var i = 0; i < Proportions.Requests; i++)
            {
                sink += plan.Route(RouteRequest.WithRandomDraws(i % 2 == 0 ? "pilot" : "finance", subjects[i % 64])).Target;
            }
        });

        Assert.True(sink > 0);
        Assert.Equal(0, allocated);
    }
}
