using Escala.Core.Audit;

namespace Escala.Core.Access;

/// <summary>Where API keys (hashed) live. Every change appends its audit entry in the same transaction.</summary>
public interface IApiKeyStore
{
    /// <summary>The key with this id, revoked or not, or null.</summary>
    Task<ApiKey?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Every key, oldest first.</summary>
    Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a new key.</summary>
    Task AddAsync(ApiKey key, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="key"/> only when no key exists yet (the bootstrap admin); false otherwise.</summary>
    Task<bool> TryAddFirstAsync(ApiKey key, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Marks the key revoked; false (nothing written) when it is unknown or already revoked.</summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken = default);
}
