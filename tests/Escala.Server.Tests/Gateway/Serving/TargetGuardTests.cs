using Escala.Core.Routing;
using Escala.Server.Serving;
using Polly.CircuitBreaker;

namespace Escala.Server.Tests.Gateway.Serving;

public sealed class TargetGuardTests
{
    private static readonly BreakerOptions Breaker = new()
    {
        FailureRatio = 0.5,
        MinimumThroughput = 4,
        SamplingDuration = TimeSpan.FromSeconds(10),
        BreakDuration = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task The_breaker_opens_after_repeated_failures_stops_calling_and_recovers_after_the_break()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var guard = new TargetGuard<string>("credit:2", Breaker, time);
        var target = new CountingTarget { Fails = true };

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(AttemptFailure.Error, (await Call(guard, target)).Failure);
        }

        Assert.Equal(CircuitState.Open, guard.State);
        var refused = await Call(guard, target);
        Assert.Equal(AttemptFailure.CircuitOpen, refused.Failure);
        Assert.Equal(4, target.Calls); // an open breaker does not call the target

        target.Fails = false;
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(AttemptFailure.CircuitOpen, (await Call(guard, target)).Failure);

        time.Advance(TimeSpan.FromSeconds(2));
        var probe = await Call(guard, target);
        Assert.True(probe.Succeeded);
        Assert.Equal(CircuitState.Closed, guard.State);
        Assert.Equal("answer", (await Call(guard, target)).Answer);
    }

    [Fact]
    public async Task A_failed_probe_after_the_break_opens_the_breaker_again()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var guard = new TargetGuard<string>("credit:2", Breaker, time);
        var target = new CountingTarget { Fails = true };
        for (var i = 0; i < 4; i++)
        {
            await Call(guard, target);
        }

        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(AttemptFailure.Error, (await Call(guard, target)).Failure);

        Assert.Equal(CircuitState.Open, guard.State);
        Assert.Equal(AttemptFailure.CircuitOpen, (await Call(guard, target)).Failure);
    }

    [Fact]
    public async Task Invalid_input_is_the_callers_fault_and_never_opens_the_breaker()
    {
        var guard = new TargetGuard<string>("credit:2", Breaker, new ManualTime(DateTimeOffset.UnixEpoch));

        for (var i = 0; i < 20; i++)
        {
            var attempt = await guard.RunAsync(
                static (_, _) => ValueTask.FromResult(Attempt<string>.Failed(AttemptFailure.InvalidInput, "input 'x' has 3 columns, the model takes 4")),
                0, TimeSpan.Zero, TestContext.Current.CancellationToken);
            Assert.Equal(AttemptFailure.InvalidInput, attempt.Failure);
        }

        Assert.Equal(CircuitState.Closed, guard.State);
    }

    [Fact]
    public async Task A_call_past_its_deadline_is_cancelled_and_reported_as_a_timeout()
    {
        var guard = new TargetGuard<string>("slow:1", Breaker, TimeProvider.System);
        var cancelled = false;

        var attempt = await guard.RunAsync(
            async (_, token) =>
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), token);
                }
                catch (OperationCanceledException)
                {
                    cancelled = true;
                    throw;
                }

                return Attempt<string>.Answered("too late");
            },
            0, TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);

        Assert.Equal(AttemptFailure.Timeout, attempt.Failure);
        Assert.Contains("deadline of 50 ms", attempt.Detail, StringComparison.Ordinal);
        Assert.True(cancelled);
    }

    [Fact]
    public async Task A_target_that_throws_becomes_an_error_value_naming_the_target()
    {
        var guard = new TargetGuard<string>("credit:7", Breaker, TimeProvider.System);

        var attempt = await guard.RunAsync(
            static (_, _) => throw new InvalidOperationException("kernel exploded"),
            0, TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.Equal(AttemptFailure.Error, attempt.Failure);
        Assert.Equal("kernel exploded", attempt.Detail);
    }

    private static ValueTask<Attempt<string>> Call(TargetGuard<string> guard, CountingTarget target) =>
        guard.RunAsync(static (t, _) => t.Answer(), target, TimeSpan.Zero, TestContext.Current.CancellationToken);

    private sealed class CountingTarget
    {
        public bool Fails { get; set; }

        public int Calls { get; private set; }

        public ValueTask<Attempt<string>> Answer()
        {
            Calls++;
            return ValueTask.FromResult(Fails ? Attempt<string>.Failed(AttemptFailure.Error, "boom") : Attempt<string>.Answered("answer"));
        }
    }
}
