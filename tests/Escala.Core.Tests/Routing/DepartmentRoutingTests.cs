using Escala.Core.Routing;
using static Escala.Core.Tests.Routing.Tables;

namespace Escala.Core.Tests.Routing;

public sealed class DepartmentRoutingTests
{
    [Fact]
    public void A_department_rule_sends_only_that_departments_traffic_to_the_new_version()
    {
        var table = Deployed(new Deployment(V(1), Strategy.Single), new Deployment(V(2), Strategy.Single, Department: "pilot"));
        var plan = RoutingPlan.Compile(table);

        for (var i = 0; i < 1000; i++)
        {
            var pilot = plan.Route(RouteRequest.WithRandomDraws("pilot", null));
            var finance = plan.Route(RouteRequest.WithRandomDraws("finance", null));
            var none = plan.Route(RouteRequest.WithRandomDraws(null, null));
            Assert.Equal("credit:2", plan.Targets[pilot.Target]);
            Assert.Equal(RouteReason.Department, pilot.Reason);
            Assert.Equal("credit:1", plan.Targets[finance.Target]);
            Assert.Equal("credit:1", plan.Targets[none.Target]);
        }
    }

    [Fact]
    public void Department_names_match_without_regard_to_case()
    {
        var plan = RoutingPlan.Compile(Deployed(new Deployment(V(1), Strategy.Single), new Deployment(V(2), Strategy.Single, Department: "Pilot")));

        Assert.Equal("credit:2", plan.Targets[plan.Route(RouteRequest.WithRandomDraws("PILOT", null)).Target]);
    }

    [Fact]
    public void An_endpoint_rolled_out_to_one_department_serves_no_one_else()
    {
        var plan = RoutingPlan.Compile(Deployed(new Deployment(V(1), Strategy.Single, Department: "pilot")));

        Assert.Equal("credit:1", plan.Targets[plan.Route(RouteRequest.WithRandomDraws("pilot", null)).Target]);
        Assert.False(plan.Route(RouteRequest.WithRandomDraws("finance", null)).IsRouted);
        Assert.False(plan.Route(RouteRequest.WithRandomDraws(null, null)).IsRouted);
    }

    [Fact]
    public void A_canary_inside_one_department_splits_that_department_and_leaves_the_rest_alone()
    {
        var table = Deployed(
            new Deployment(V(1), Strategy.Single),
            new Deployment(V(2), Strategy.Canary, Department: "pilot", Steps: Steps(20, 100)));
        var plan = RoutingPlan.Compile(table);

        var pilot = Proportions.CountByDraws(plan, seed: 5, department: "pilot");
        var others = Proportions.CountByDraws(plan, seed: 6, department: "finance");

        Proportions.AssertShare(plan, pilot, "credit:2", 0.20);
        Assert.Equal(Proportions.Requests, others[plan.IndexOf("credit:1")]);
    }

    [Fact]
    public void Rolling_back_a_department_rule_returns_the_department_to_the_default()
    {
        var table = Deployed(new Deployment(V(1), Strategy.Single), new Deployment(V(2), Strategy.Single, Department: "pilot"));

        var rolledBack = Ok(table.Rollback("pilot", T0));

        Assert.Empty(rolledBack.Departments);
        Assert.DoesNotContain(rolledBack.Targets, t => t.Key == "credit:2");
        var plan = RoutingPlan.Compile(rolledBack);
        Assert.Equal("credit:1", plan.Targets[plan.Route(RouteRequest.WithRandomDraws("pilot", null)).Target]);
    }

    [Fact]
    public void A_second_version_for_a_department_remembers_the_first_for_rollback()
    {
        var table = Deployed(
            new Deployment(V(1), Strategy.Single, Department: "pilot"),
            new Deployment(V(2), Strategy.Single, Department: "pilot"));

        var back = Ok(table.Rollback("pilot", T0));

        Assert.Equal(new SinglePolicy("credit:1"), back.OwnPolicy("pilot"));
    }
}
