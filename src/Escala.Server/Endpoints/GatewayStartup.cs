using Escala.Core.Endpoints;
using Escala.Server.Serving;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Endpoints;

/// <summary>
/// Loads every endpoint before the server accepts requests: each version is loaded and warmed, and
/// one that cannot be (a corrupt artifact, a backend that is down) is served as unavailable, so
/// its endpoint still answers through the fallback chain. Readiness turns true when this is done.
/// </summary>
public sealed partial class GatewayStartup(EndpointCatalog catalog, SnapshotBuilder builder, LiveEndpoints live, ILogger<GatewayStartup> logger) : IHostedService
{
    private static readonly IReadOnlySet<string> Lenient = new HashSet<string>();

    /// <summary>True once every endpoint is loaded.</summary>
    public bool IsReady { get; private set; }

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoints = await catalog.ListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var endpoint in endpoints)
        {
            var snapshot = await builder.BuildAsync(endpoint, Lenient, cancellationToken).ConfigureAwait(false);
            live.Publish(snapshot);
            var unavailable = snapshot.Targets.Count(t => !t.Backend.IsAvailable);
            LogLoaded(logger, endpoint.Name, snapshot.Targets.Length, unavailable);
        }

        IsReady = true;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3030, Level = LogLevel.Information, Message = "Endpoint {Endpoint} serving with {Targets} targets ({Unavailable} unavailable)")]
    private static partial void LogLoaded(ILogger logger, string endpoint, int targets, int unavailable);
}
