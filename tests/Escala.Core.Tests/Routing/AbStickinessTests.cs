using System.Text.Json;
using Escala.Core.Routing;
using static Escala.Core.Tests.Routing.Tables;

namespace Escala.Core.Tests.Routing;

public sealed class AbStickinessTests
{
    private static readonly RoutingTable AbTable = Deployed(new Deployment(V(1), Strategy.Single), new Deployment(V(2), Strategy.Ab, Percent: 50));

    [Fact]
    public void A_subject_sees_the_same_variant_on_every_request()
    {
        var plan = RoutingPlan.Compile(AbTable);
        for (var user = 0; user < 500; user++)
        {
            var subject = $"customer-{user}";
            var first = plan.Route(RouteRequest.WithRandomDraws(null, subject)).Target;
            for (var repeat = 0; repeat < 20; repeat++)
            {
                Assert.Equal(first, plan.Route(RouteRequest.WithRandomDraws(null, subject)).Target);
            }
        }
    }

    [Fact]
    public void Two_gateway_nodes_that_load_the_same_stored_table_assign_every_subject_alike()
    {
        // Each node deserialises the stored JSON and compiles its own plan.
        var json = JsonSerializer.Serialize(AbTable);
        var nodeA = RoutingPlan.Compile(JsonSerializer.Deserialize<RoutingTable>(json)!);
        var nodeB = RoutingPlan.Compile(JsonSerializer.Deserialize<RoutingTable>(json)!);

        for (var user = 0; user < 2000; user++)
        {
            var request = RouteRequest.WithRandomDraws(null, $"u{user}");
            Assert.Equal(nodeA.Targets[nodeA.Route(request).Target], nodeB.Targets[nodeB.Route(request).Target]);
        }
    }

    [Fact]
    public void Stable_hash_values_never_change_between_versions_or_processes()
    {
        // Pinned values, computed by an independent 12-line Python implementation of the documented
        // algorithm (FNV-1a 64 over UTF-16LE, 0xFFFF separator, fmix64). If these move, every
        // running A/B test reshuffles its users and mixed-version gateway nodes disagree.
        Assert.Equal(0x403f700b5192d6d5UL, StableHash.Hash64("", ""));
        Assert.Equal(0x128340b33e9af172UL, StableHash.Hash64("credit:2@1700000000000", "user-42"));
        Assert.NotEqual(StableHash.Hash64("ab", "c"), StableHash.Hash64("a", "bc"));
    }

    [Fact]
    public void A_new_experiment_reshuffles_subjects_independently_of_the_last()
    {
        var second = Deployed(new Deployment(V(1), Strategy.Single)) is var t
            ? Ok(t.Deploy(new Deployment(V(2), Strategy.Ab, Percent: 50), T0.AddDays(1)))
            : null!;
        var planA = RoutingPlan.Compile(AbTable);
        var planB = RoutingPlan.Compile(second);
        var same = 0;
        const int subjects = 10_000;
        for (var user = 0; user < subjects; user++)
        {
            var request = new RouteRequest(null, $"user-{user}", 0, 0);
            same += planA.Targets[planA.Route(request).Target] == planB.Targets[planB.Route(request).Target] ? 1 : 0;
        }

        // Independent 50/50 assignments agree for half the subjects (Binomial(10000, 0.5) bound).
        Proportions.AssertCount(same, 0.5, "subjects in the same variant in both experiments", subjects);
    }

    [Fact]
    public void A_request_without_a_subject_is_answered_by_the_control_variant()
    {
        var plan = RoutingPlan.Compile(AbTable);
        for (var i = 0; i < 100; i++)
        {
            var d = plan.Route(RouteRequest.WithRandomDraws(null, null));
            Assert.Equal("credit:1", plan.Targets[d.Target]);
            Assert.Equal(RouteReason.NoSubject, d.Reason);
        }
    }
}
