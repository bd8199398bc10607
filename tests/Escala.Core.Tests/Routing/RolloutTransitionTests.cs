using System.Text.Json;
using Escala.Core.Routing;
using static Escala.Core.Tests.Routing.Tables;

namespace Escala.Core.Tests.Routing;

public sealed class RolloutTransitionTests
{
    [Fact]
    public void Canary_promotes_step_by_step_then_makes_the_canary_the_only_version()
    {
        var table = Deployed(new Deployment(V(1), Strategy.Single), new Deployment(V(2), Strategy.Canary));
        var percents = new List<double>();
        while (table.Default is CanaryPolicy canary)
        {
            percents.Add(canary.CurrentPercent);
            table = Ok(table.Promote(null, null, T0));
        }

        Assert.Equal([5, 25, 50, 100], percents);
        Assert.Equal(new SinglePolicy("credit:2", "credit:1"), table.Default);
        Assert.DoesNotContain(table.Targets, t => t.Key == "credit:1");
    }

    [Fact]
    public void Canary_rollback_returns_all_traffic_to_the_stable_version_and_releases_the_canary()
    {
        var table = Deployed(new Deployment(V(1), Strategy.Single), new Deployment(V(2), Strategy.Canary));
        table = Ok(table.Promote(null, null, T0));

        var back = Ok(table.Rollback(null, T0));

        Assert.Equal(new SinglePolicy("credit:1"), back.Default);
        Assert.Equal(["credit:1"], back.Targets.Select(t => t.Key));
    }

    [Fact]
    public void A_promoted_version_can_be_rolled_back_once_to_the_one_before()
    {
        var table = Deployed(new Deployment(V(1), Strategy.Single), new Deployment(V(2), Strategy.Canary));
        table = Ok(table.Promote(null, "credit:2", T0));
        Assert.Equal(new SinglePolicy("credit:2", "credit:1"), table.Default);

        var back = Ok(table.Rollback(null, T0));
        Assert.Equal(new SinglePolicy("credit:1"), back.Default);

        var again = back.Rollback(null, T0);
        Assert.False(again.Succeeded);
        Assert.Equal(RoutingError.NothingToRollBack, again.Error);
    }

    [Fact]
    public void Blue_green_switches_forward_and_back_instantly_as_often_as_asked()
    {
        var table = Deployed(new Deployment(V(1), Strategy.Single), new Deployment(V(2), Strategy.BlueGreen));
        for (var i = 0; i < 5; i++)
        {
            table = Ok(table.Promote(null, null, T0));
            Assert.Equal("credit:2", table.Default!.Live);
            table = Ok(table.Rollback(null, T0));
            Assert.Equal("credit:1", table.Default!.Live);
            Assert.Equal(2, table.Targets.Length);
        }

        table = Ok(table.Promote(null, null, T0));
        table = Ok(table.Promote(null, null, T0));
        Assert.Equal(new SinglePolicy("credit:2", "credit:1"), table.Default);
    }

    [Fact]
    public void Shadow_promote_makes_the_shadow_answer_and_rollback_drops_it()
    {
        var table = Deployed(new Deployment(V(1), Strategy.Single), new Deployment(V(2), Strategy.Shadow));

        Assert.Equal(new SinglePolicy("credit:2", "credit:1"), Ok(table.Promote(null, null, T0)).Default);
        Assert.Equal(new SinglePolicy("credit:1"), Ok(table.Rollback(null, T0)).Default);
    }

    [Fact]
    public void Ab_promote_picks_the_named_winner_and_rollback_keeps_the_control()
    {
        var table = Deployed(new Deployment(V(1), Strategy.Single), new Deployment(V(2), Strategy.Ab));

        Assert.Equal(new SinglePolicy("credit:1"), Ok(table.Promote(null, "credit:1", T0)).Default);
        Assert.Equal(new SinglePolicy("credit:2", "credit:1"), Ok(table.Promote(null, null, T0)).Default);
        Assert.Equal(new SinglePolicy("credit:1"), Ok(table.Rollback(null, T0)).Default);
        Assert.Equal(RoutingError.Invalid, table.Promote(null, "credit:9", T0).Error);
    }

    [Fact]
    public void A_second_rollout_while_one_is_running_is_refused_and_the_table_is_unchanged()
    {
        var table = Deployed(new Deployment(V(1), Strategy.Single), new Deployment(V(2), Strategy.Canary));

        var refused = table.Deploy(new Deployment(V(3), Strategy.Split, Percent: 10), T0);

        Assert.False(refused.Succeeded);
        Assert.Equal(RoutingError.RolloutInProgress, refused.Error);
        Assert.Contains("promote or roll it back first", refused.Message, StringComparison.Ordinal);
        Assert.IsType<CanaryPolicy>(table.Default);
    }

    [Theory]
    [InlineData(Strategy.Canary)]
    [InlineData(Strategy.BlueGreen)]
    [InlineData(Strategy.Split)]
    [InlineData(Strategy.Shadow)]
    [InlineData(Strategy.Ab)]
    public void A_rollout_on_an_empty_endpoint_is_refused_because_nothing_serves_yet(Strategy strategy)
    {
        var refused = RoutingTable.Empty.Deploy(new Deployment(V(1), strategy), T0);

        Assert.Equal(RoutingError.NoLiveVersion, refused.Error);
    }

    [Theory]
    [InlineData(new double[] { 50, 25 })]
    [InlineData(new double[] { 0, 50 })]
    [InlineData(new double[] { 10, 150 })]
    [InlineData(new double[0])]
    public void Canary_steps_that_do_not_grow_within_0_to_100_are_refused(double[] steps)
    {
        var refused = Single(1).Deploy(new Deployment(V(2), Strategy.Canary, Steps: [.. steps]), T0);

        Assert.Equal(RoutingError.Invalid, refused.Error);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(100.0)]
    [InlineData(-5.0)]
    [InlineData(double.NaN)]
    public void A_split_percentage_outside_0_to_100_is_refused(double percent)
    {
        Assert.Equal(RoutingError.Invalid, Single(1).Deploy(new Deployment(V(2), Strategy.Split, Percent: percent), T0).Error);
    }

    [Fact]
    public void Promote_with_nothing_in_progress_is_refused()
    {
        Assert.Equal(RoutingError.NothingToPromote, Single(1).Promote(null, null, T0).Error);
        Assert.Equal(RoutingError.NothingToPromote, RoutingTable.Empty.Promote(null, null, T0).Error);
    }

    [Fact]
    public void A_timed_canary_advances_when_its_interval_has_passed_and_not_before()
    {
        var table = Deployed(new Deployment(V(1), Strategy.Single), new Deployment(V(2), Strategy.Canary, Interval: TimeSpan.FromMinutes(10)));
        Assert.Equal(T0.AddMinutes(10), table.NextAdvanceAt);

        var (early, none) = table.AdvanceDue(T0.AddMinutes(9));
        Assert.Empty(none);
        Assert.Equal(5, ((CanaryPolicy)early.Default!).CurrentPercent);

        var (due, moved) = table.AdvanceDue(T0.AddMinutes(10));
        Assert.Single(moved);
        var canary = (CanaryPolicy)due.Default!;
        Assert.Equal(25, canary.CurrentPercent);
        Assert.Equal(T0.AddMinutes(20), due.NextAdvanceAt);
    }

    [Fact]
    public void An_external_backend_with_the_name_of_another_target_is_refused()
    {
        var table = Deployed(new Deployment(new ExternalTarget("remote", new Uri("http://127.0.0.1:9001"), "m"), Strategy.Single));

        var clash = table.Deploy(new Deployment(new ExternalTarget("remote", new Uri("http://127.0.0.1:9002"), "m"), Strategy.Canary), T0);

        Assert.Equal(RoutingError.Invalid, clash.Error);
    }

    [Fact]
    public void A_routing_table_survives_a_json_round_trip_with_every_strategy()
    {
        var table = Deployed(
            new Deployment(V(1), Strategy.Single),
            new Deployment(V(2), Strategy.Canary, Interval: TimeSpan.FromMinutes(5)),
            new Deployment(V(3), Strategy.BlueGreen, Department: "pilot"),
            new Deployment(new ExternalTarget("triton", new Uri("http://127.0.0.1:8000"), "credit", "4"), Strategy.Shadow, Department: "risk"));
        table = Ok(table.WithFallback(V(1)));

        // camelCase as the audit log and the API write it, so a property can never clash with the "strategy"/"kind" discriminators.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var back = JsonSerializer.Deserialize<RoutingTable>(JsonSerializer.Serialize(table, options), options)!;

        Assert.Equal(JsonSerializer.Serialize(table, options), JsonSerializer.Serialize(back, options));
        Assert.Equal(table.Default!.Describe(), back.Default!.Describe());
        Assert.Equal("credit:1", back.Fallback);
        Assert.IsType<ExternalTarget>(back.FindTarget("triton"));
    }
}
