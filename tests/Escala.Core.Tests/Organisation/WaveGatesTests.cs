using Escala.Core.Rollouts;
using Escala.Core.Routing;

namespace Escala.Core.Tests.Organisation;

public sealed class WaveGatesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly string[] All = ["operations", "retail-banking", "risk", "treasury"];

    private static RolloutPlan Plan(int served = 0, params ChecklistTick[] ticks) => new(
        "credit", "credit-decisioning", "credit-risk", "credit-risk:2",
        [new Wave(["risk"]), new Wave(["retail-banking", "operations"]), new Wave([Wave.Everyone])],
        TimeSpan.FromHours(24), [.. GateSpec.Defaults], false, served, [.. Enumerable.Repeat(T0, served)], [.. ticks], T0, "me", T0, 1);

    private static ChecklistTick[] Ready(params string[] departments) =>
        [.. departments.SelectMany(d => ReadinessItems.All.Select(i => new ChecklistTick(d, i.Name, "me", null, T0)))];

    private static Dictionary<string, Measurement> Good() => new()
    {
        ["error_rate"] = new(0.002, "2 of 1000"),
        ["p99_latency_ms"] = new(40, "p99"),
        ["adoption_depth"] = new(0.45, "9 of 20"),
        ["satisfaction"] = new(4.2, "12 ratings"),
    };

    [Fact]
    public void The_first_wave_needs_only_its_departments_checklist()
    {
        var missing = WaveGates.Evaluate(Plan(0, [.. Ready("risk").Where(t => t.Item != "training")]), All, Good(), T0);
        var gate = Assert.Single(missing.Gates);
        Assert.False(gate.Passed);
        Assert.Equal("readiness:risk", gate.Name);
        Assert.Contains("training", gate.Detail, StringComparison.Ordinal);

        Assert.True(WaveGates.Evaluate(Plan(0, Ready("risk")), All, Good(), T0).Passed);
    }

    [Theory]
    [InlineData("error_rate", 0.05)]
    [InlineData("p99_latency_ms", 900)]
    [InlineData("adoption_depth", 0.1)]
    [InlineData("satisfaction", 2.5)]
    public void Each_kpi_failing_alone_blocks_the_next_wave_by_name(string metric, double bad)
    {
        var measured = Good();
        measured[metric] = new Measurement(bad, "bad");
        var report = WaveGates.Evaluate(Plan(1, Ready("retail-banking", "operations")), All, measured, T0.AddHours(25));

        Assert.Equal(metric, Assert.Single(report.Failing).Name);
    }

    [Fact]
    public void A_gate_without_data_fails_saying_so_and_soak_counts_from_the_last_wave()
    {
        var measured = Good();
        measured.Remove("satisfaction");
        var report = WaveGates.Evaluate(Plan(1, Ready("retail-banking", "operations")), All, measured, T0.AddHours(2));

        Assert.Equal(["soak", "satisfaction"], report.Failing.Select(g => g.Name));
        Assert.StartsWith("no data yet", report.Gates.Single(g => g.Name == "satisfaction").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_star_wave_is_every_department_not_named_earlier()
    {
        var report = WaveGates.Evaluate(Plan(2, Ready("treasury")), All, Good(), T0.AddDays(3));
        Assert.Equal(["treasury"], report.Departments);
        Assert.True(report.Passed);
    }

    [Fact]
    public void Gates_parse_both_operators_and_refuse_unknown_metrics()
    {
        Assert.Equal(new GateSpec("error_rate", GateOperator.AtMost, 0.01), GateSpec.Parse("error_rate<=0.01"));
        Assert.Equal(new GateSpec("adoption_depth", GateOperator.AtLeast, 0.3), GateSpec.Parse("adoption_depth>=0.3"));
        Assert.Throws<Problems.ProblemException>(() => GateSpec.Parse("happiness>=3"));
        Assert.Throws<Problems.ProblemException>(() => GateSpec.Parse("error_rate<0.01"));
    }

    [Fact]
    public void Serving_a_wave_pins_each_department_and_taking_it_back_restores_the_table()
    {
        var target = new LocalModelTarget("credit-risk", 2);
        var served = WaveRouting.Serve(RoutingTable.Empty, ["retail-banking", "operations"], target, T0);
        Assert.True(served.Succeeded);
        var plan = RoutingPlan.Compile(served.Table!);
        Assert.True(plan.Route(new RouteRequest("operations", null, 1, 1)).IsRouted);
        Assert.False(plan.Route(new RouteRequest("treasury", null, 1, 1)).IsRouted);

        var back = WaveRouting.TakeBack(served.Table!, ["retail-banking", "operations"], T0);
        Assert.Empty(back.Table!.Departments);
        Assert.Null(back.Table!.Default);

        var everyone = WaveRouting.Serve(served.Table!, null, target, T0);
        Assert.True(RoutingPlan.Compile(everyone.Table!).Route(new RouteRequest("treasury", null, 1, 1)).IsRouted);
        Assert.Null(WaveRouting.TakeBack(everyone.Table!, null, T0).Table!.Default);
    }
}
