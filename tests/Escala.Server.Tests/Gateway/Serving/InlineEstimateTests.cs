using Escala.Server.Serving;

namespace Escala.Server.Tests.Gateway.Serving;

public sealed class InlineEstimateTests
{
    [Fact]
    public void A_version_never_timed_has_no_estimate_so_its_first_call_gets_the_deadline()
    {
        Assert.Null(new TargetCounters().PredictTicks(10));
    }

    [Fact]
    public void The_estimate_scales_with_rows_and_averages_faster_calls_slowly()
    {
        var counters = new TargetCounters();
        counters.ObserveTicks(800, rows: 8);      // 100 per row
        Assert.Equal(1000, counters.PredictTicks(10));

        counters.ObserveTicks(20, rows: 1);       // faster: moves 1/8 of the way
        Assert.Equal(90, counters.PredictTicks(1));
    }

    [Fact]
    public void A_slower_call_is_believed_at_once_so_the_next_calls_are_protected_again()
    {
        var counters = new TargetCounters();
        counters.ObserveTicks(100, rows: 1);
        counters.ObserveTicks(1_000_000, rows: 1);

        Assert.Equal(1_000_000, counters.PredictTicks(1));
    }
}
