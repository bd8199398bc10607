using Escala.Core.Changes;
using Escala.Server.Security;

namespace Escala.Server.Cluster;

/// <summary>A key created or revoked on another node: the key ring reloads, so a revoked key stops authenticating here too.</summary>
public sealed class KeyRingChanges(KeyRing ring) : IChangeHandler
{
    /// <inheritdoc/>
    public string Topic => ChangeTopics.Keys;

    /// <inheritdoc/>
    public Task ApplyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) => ring.ReloadAsync(cancellationToken);

    /// <inheritdoc/>
    public Task ReloadAllAsync(CancellationToken cancellationToken) => ring.ReloadAsync(cancellationToken);
}
