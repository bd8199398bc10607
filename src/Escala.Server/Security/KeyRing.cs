using System.Collections.Frozen;
using Escala.Core.Access;
using Escala.Core.Audit;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Security;

/// <summary>
/// The active API keys held in memory, so authenticating a request costs one SHA-256 and a dictionary
/// lookup and never touches the database (the gateway's hot path depends on it). The snapshot is
/// immutable and swapped whole by <see cref="ReloadAsync"/>, which the key routes call after every
/// change; a multi-node store would call it on a change notification. A key whose stored role, departments or
/// revocation differ from what the audit log last recorded for it (an edit made directly in the database) is left
/// out: it authenticates as nobody until the difference is resolved, and <c>audit verify</c> names it.
/// </summary>
public sealed partial class KeyRing(IApiKeyStore store, IAuditLog audit, KeyStates states, ILogger<KeyRing> logger)
{
    private volatile FrozenDictionary<string, ApiKey> _active = FrozenDictionary<string, ApiKey>.Empty;

    /// <summary>How many keys can authenticate now.</summary>
    public int ActiveCount => _active.Count;

    /// <summary>Reads the active keys from the store and swaps them in.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        var keys = await store.ListAsync(cancellationToken);
        var audited = await audit.LatestStatesAsync(states.SubjectPrefix, states.Actions, cancellationToken);
        var trusted = new List<ApiKey>(keys.Count);
        foreach (var key in keys.Where(k => !k.IsRevoked))
        {
            var finding = SecurityStateCheck.Compare(states, [(AuditSubjects.Key(key.Id), KeyStates.Facts(key))], audited);
            if (finding.Count == 0)
            {
                trusted.Add(key);
            }
            else
            {
                LogUntrusted(logger, key.Id, finding[0]);
            }
        }

        _active = trusted.ToFrozenDictionary(k => k.Id, StringComparer.Ordinal);
    }

    [LoggerMessage(EventId = 12, Level = LogLevel.Critical, Message = "API key {KeyId} is refused: {Finding}. Run `escala audit verify`.")]
    private static partial void LogUntrusted(ILogger logger, string keyId, string finding);

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
