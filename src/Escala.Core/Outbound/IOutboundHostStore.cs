using Escala.Core.Audit;

namespace Escala.Core.Outbound;

/// <summary>A host the server may call: for external backends, webhooks, or both (<c>any</c>).</summary>
public sealed record OutboundHost(string Host, string Purpose, DateTimeOffset AddedAt, string AddedBy);

/// <summary>The stored allow list; every change is written with its audit record in one transaction.</summary>
public interface IOutboundHostStore
{
    /// <summary>Every listed host, by name.</summary>
    Task<IReadOnlyList<OutboundHost>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The entry for <paramref name="host"/>, or null.</summary>
    Task<OutboundHost?> FindAsync(string host, CancellationToken cancellationToken = default);

    /// <summary>Adds a host; false when it is listed already (nothing written).</summary>
    Task<bool> TryAddAsync(OutboundHost host, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Removes a host; false when it was not listed (nothing written).</summary>
    Task<bool> TryRemoveAsync(string host, AuditEntry audit, CancellationToken cancellationToken = default);
}
