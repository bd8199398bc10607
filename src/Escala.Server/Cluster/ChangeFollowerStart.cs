using Microsoft.Extensions.Hosting;

namespace Escala.Server.Cluster;

/// <summary>
/// Runs first among the hosted services (registered with the stores, before the key ring and the endpoints load) and
/// marks where the change follower starts, so nothing committed during start-up loading is missed.
/// </summary>
public sealed class ChangeFollowerStart(ChangeFollower follower) : IHostedService
{
    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => follower.StartAsync(cancellationToken);

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
