using Escala.Core.Changes;
using Escala.Core.Endpoints;
using Escala.Server.Endpoints;

namespace Escala.Server.Cluster;

/// <summary>An endpoint created or changed on another node (deploy, promote, rollback, a canary step): its snapshot is rebuilt here.</summary>
public sealed class EndpointChanges(EndpointCatalog catalog, EndpointOperations operations) : IChangeHandler
{
    /// <inheritdoc/>
    public string Topic => ChangeTopics.Endpoint;

    /// <inheritdoc/>
    public async Task ApplyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        foreach (var name in keys)
        {
            await operations.RefreshAsync(name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task ReloadAllAsync(CancellationToken cancellationToken)
    {
        foreach (var endpoint in await catalog.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            await operations.RefreshAsync(endpoint.Name, cancellationToken).ConfigureAwait(false);
        }
    }
}
