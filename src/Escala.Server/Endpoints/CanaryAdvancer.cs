using Escala.Core.Problems;
using Escala.Core.Routing;
using Escala.Core.Scheduling;
using Escala.Server.Serving;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace Escala.Server.Endpoints;

/// <summary>
/// Advances canaries that run on a timer. Before a step it checks the canary itself: while its
/// circuit breaker is not closed (it has been failing), the step is held, not taken; an operator
/// decides between rollback and promote. Every step taken is an audited change by the canary timer.
/// </summary>
public sealed partial class CanaryAdvancer(
    LiveEndpoints live,
    EndpointOperations operations,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<CanaryAdvancer> logger) : IScheduledJob
{
    // The last refusal logged per endpoint: a step refused (e.g. by a stage rule) is retried every tick until an
    // approval or an operator moves it on, and is logged once per reason, not once per tick.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _refused = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public string Name => "canary-steps";

    /// <inheritdoc/>
    public TimeSpan Interval => options.Value.CanaryTick;

    /// <summary>Checks every endpoint once; returns how many were advanced.</summary>
    public async Task<int> TickAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var advanced = 0;
        foreach (var snapshot in live.All)
        {
            if (snapshot.Endpoint.Routing.NextAdvanceAt is not { } due || due > now)
            {
                continue;
            }

            if (Unhealthy(snapshot) is { } failing)
            {
                LogHeld(logger, snapshot.Name, failing);
                continue;
            }

            try
            {
                if (await operations.AdvanceDueAsync(snapshot.Name, cancellationToken).ConfigureAwait(false) is not null)
                {
                    advanced++;
                    _refused.TryRemove(snapshot.Name, out _);
                }
            }
            catch (ProblemException e)
            {
                if (!_refused.TryGetValue(snapshot.Name, out var last) || last != e.Detail)
                {
                    _refused[snapshot.Name] = e.Detail;
                    LogAdvanceFailed(logger, snapshot.Name, e.Detail);
                }
            }
        }

        return advanced;
    }

    /// <inheritdoc/>
    public Task RunAsync(CancellationToken cancellationToken) => TickAsync(cancellationToken);

    // The canary of a due step whose breaker is open or testing, if any.
    private static string? Unhealthy(ServingSnapshot snapshot)
    {
        foreach (var (_, policy) in snapshot.Endpoint.Routing.Scopes())
        {
            if (policy is CanaryPolicy canary && snapshot.Plan.IndexOf(canary.Canary) is var i and >= 0
                && snapshot.Targets[i].Guard.State != CircuitState.Closed)
            {
                return canary.Canary;
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 3040, Level = LogLevel.Warning, Message = "Canary step of endpoint {Endpoint} held: {Canary} is failing (circuit not closed); roll back or promote by hand")]
    private static partial void LogHeld(ILogger logger, string endpoint, string canary);

    [LoggerMessage(EventId = 3041, Level = LogLevel.Warning, Message = "Canary step of endpoint {Endpoint} failed: {Reason}")]
    private static partial void LogAdvanceFailed(ILogger logger, string endpoint, string reason);
}
