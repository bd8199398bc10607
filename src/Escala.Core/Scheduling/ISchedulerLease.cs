namespace Escala.Core.Scheduling;

/// <summary>
/// Whether this node may run cluster-wide jobs now. With one node it always may; with several, only
/// the holder of a lease in the shared database does, and leadership moves when that node dies.
/// </summary>
public interface ISchedulerLease
{
    /// <summary>True while this node holds the lease; asked before every pass of a cluster-wide job.</summary>
    ValueTask<bool> HoldsAsync(CancellationToken cancellationToken);
}

/// <summary>The lease of a single-node installation: always held.</summary>
public sealed class SingleNodeLease : ISchedulerLease
{
    /// <inheritdoc/>
    public ValueTask<bool> HoldsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);
}
