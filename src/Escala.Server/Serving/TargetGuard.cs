using Escala.Core.Routing;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Escala.Server.Serving;

/// <summary>
/// Protects one target (a model version or an external backend): a circuit breaker that stops
/// calling it after repeated failures or missed deadlines and tests it again later, around a
/// per-call deadline. Built on Polly.Core and driven with outcomes, so a failure is a value the
/// fallback chain branches on, not an exception unwinding the request. A guard outlives routing
/// snapshots: the same version keeps its breaker across deploy, promote and rollback.
/// </summary>
public sealed class TargetGuard<T>
{
    private static readonly ResiliencePropertyKey<TimeSpan> DeadlineKey = new("escala.deadline");

    private readonly ResiliencePipeline<Attempt<T>> _pipeline;
    private readonly CircuitBreakerStateProvider _state = new();

    /// <summary>Creates the guard for <paramref name="target"/>.</summary>
    public TargetGuard(string target, BreakerOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        Target = target;
        _pipeline = new ResiliencePipelineBuilder<Attempt<T>> { TimeProvider = time, Name = target }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<Attempt<T>>
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                StateProvider = _state,
                ShouldHandle = static args => ValueTask.FromResult(CountsAsFailure(args.Outcome)),
            })
            .AddTimeout(new TimeoutStrategyOptions
            {
                // The deadline travels with each call, so one guard serves any endpoint deadline.
                TimeoutGenerator = static args => ValueTask.FromResult(
                    args.Context.Properties.TryGetValue(DeadlineKey, out var deadline) && deadline > TimeSpan.Zero ? deadline : Timeout.InfiniteTimeSpan),
            })
            .Build();
    }

    /// <summary>The target this guard protects.</summary>
    public string Target { get; }

    /// <summary>The breaker's state: closed (calls flow), open (refused), half-open (one test call).</summary>
    public CircuitState State => _state.CircuitState;

    /// <summary>
    /// Calls <paramref name="call"/> unless the breaker is open, cancelling its token at
    /// <paramref name="deadline"/> (none when zero or negative). Never throws for a target's failure.
    /// </summary>
    public async ValueTask<Attempt<T>> RunAsync<TState>(
        Func<TState, CancellationToken, ValueTask<Attempt<T>>> call,
        TState state,
        TimeSpan deadline,
        CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(DeadlineKey, deadline);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, s) =>
                {
                    try
                    {
                        return Outcome.FromResult(await s.call(s.state, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        // A target's bug or a cancelled deadline becomes an outcome the strategies inspect.
                        return Outcome.FromException<Attempt<T>>(e);
                    }
                },
                context,
                (call, state)).ConfigureAwait(false);

            return outcome.Exception switch
            {
                null => outcome.Result,
                BrokenCircuitException => Attempt<T>.Failed(AttemptFailure.CircuitOpen, "circuit open after repeated failures; not called"),
                TimeoutRejectedException => Attempt<T>.Failed(AttemptFailure.Timeout, $"no answer within the deadline of {deadline.TotalMilliseconds:0} ms"),
                OperationCanceledException when cancellationToken.IsCancellationRequested => throw new OperationCanceledException(cancellationToken),
                var e => Attempt<T>.Failed(AttemptFailure.Error, e.Message),
            };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static bool CountsAsFailure(Outcome<Attempt<T>> outcome) => outcome.Exception switch
    {
        // The caller hanging up says nothing about the target.
        OperationCanceledException => false,
        not null => true,
        null => outcome.Result.Failure is AttemptFailure.Error or AttemptFailure.Timeout or AttemptFailure.Unavailable,
    };
}
