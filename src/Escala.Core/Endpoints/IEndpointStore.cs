using Escala.Core.Audit;

namespace Escala.Core.Endpoints;

/// <summary>Where endpoints live. Every change appends its audit entry in the same transaction.</summary>
public interface IEndpointStore
{
    /// <summary>The endpoint, or null.</summary>
    Task<Endpoint?> FindAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>All endpoints by name.</summary>
    Task<IReadOnlyList<Endpoint>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds an endpoint; false (and nothing written) when the name is taken.</summary>
    Task<bool> TryAddAsync(Endpoint endpoint, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the endpoint when its stored generation is still <paramref name="expectedGeneration"/>;
    /// false (and nothing written) when someone else changed it first.
    /// </summary>
    Task<bool> TryUpdateAsync(Endpoint endpoint, long expectedGeneration, AuditEntry audit, CancellationToken cancellationToken = default);
}
