using System.Collections.Frozen;
using Escala.Core.Access;

namespace Escala.Server.Security;

/// <summary>
/// The active API keys held in memory, so authenticating a request costs one SHA-256 and a dictionary
/// lookup and never touches the database (the gateway's hot path depends on it). The snapshot is
/// immutable and swapped whole by <see cref="ReloadAsync"/>, which the key routes call after every
/// change; a multi-node store would call it on a change notification.
/// </summary>
public sealed class KeyRing(IApiKeyStore store)
{
    private volatile FrozenDictionary<string, ApiKey> _active = FrozenDictionary<string, ApiKey>.Empty;

    /// <summary>How many keys can authenticate now.</summary>
    public int ActiveCount => _active.Count;

    /// <summary>Reads the active keys from the store and swaps them in.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        var keys = await store.ListAsync(cancellationToken);
        _active = keys.Where(k => !k.IsRevoked).ToFrozenDictionary(k => k.Id, StringComparer.Ordinal);
    }

    /// <summary>The principal for a presented key, or null with the reason it was refused.</summary>
    public Principal? Authenticate(string presented, out string? failure)
    {
        var id = ApiKeySecret.IdOf(presented);
        if (id is null)
        {
            failure = "The API key is malformed; keys look like esk_<16 hex>_<secret>.";
            return null;
        }

        if (!_active.TryGetValue(id, out var key) || !ApiKeySecret.Matches(presented, key.SecretHash))
        {
            failure = "The API key is unknown or has been revoked.";
            return null;
        }

        failure = null;
        return key.ToPrincipal();
    }

    /// <summary>The principal of the active key <paramref name="keyId"/> (a dashboard session acting for it), or null when it is unknown or revoked.</summary>
    public Principal? PrincipalFor(string keyId) => _active.TryGetValue(keyId, out var key) ? key.ToPrincipal() : null;
}
