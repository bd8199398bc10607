using Escala.Core.Scheduling;
using Escala.Server.Serving;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escala.Server.Endpoints;

/// <summary>
/// Brings endpoints back by themselves: every <see cref="GatewayOptions.RecoveryInterval"/>, each endpoint serving a
/// target that could not be loaded (a corrupt or missing artifact, an external backend that was down) is rebuilt from
/// storage, which tries the load again; once the artifact is repaired (or the backend is back) the rebuilt snapshot
/// serves it and readiness turns true again. Node-local: every node recovers its own snapshots.
/// </summary>
public sealed partial class ServingRecovery(LiveEndpoints live, EndpointOperations operations, IOptions<GatewayOptions> options, ILogger<ServingRecovery> logger) : IScheduledJob
{
    /// <inheritdoc/>
    public string Name => "serving-recovery";

    /// <inheritdoc/>
    public TimeSpan Interval => options.Value.RecoveryInterval;

    /// <inheritdoc/>
    public bool EveryNode => true;

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var name in live.All.Where(s => !s.IsFullyAvailable).Select(s => s.Name).ToList())
        {
            await operations.ReloadAsync(name, cancellationToken).ConfigureAwait(false);
            if (live.TryGet(name, out var snapshot) && snapshot.IsFullyAvailable)
            {
                LogRecovered(logger, name);
            }
        }
    }

    [LoggerMessage(EventId = 3030, Level = LogLevel.Information, Message = "Endpoint {Endpoint} recovered: every version it routes to is loaded again")]
    private static partial void LogRecovered(ILogger logger, string endpoint);
}
