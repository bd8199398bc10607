using System.Collections.Immutable;

namespace Escala.Core.Access;

/// <summary>
/// A stored API key: never the secret itself, only its SHA-256. A revoked key stays (for the audit
/// trail) but no longer authenticates.
/// </summary>
public sealed record ApiKey(
    string Id,
    string Name,
    Role Role,
    ImmutableArray<string> Departments,
    string SecretHash,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RevokedAt)
{
    /// <summary>True once revoked.</summary>
    public bool IsRevoked => RevokedAt is not null;

    /// <summary>The principal requests made with this key act as.</summary>
    public Principal ToPrincipal() => new(Id, Name, Role, Departments.IsDefault ? [] : Departments);

    /// <summary>What the audit log and the API show of a key: everything but the hash.</summary>
    public ApiKeyView ToView() => new(Id, Name, Role.ToName(), Departments.IsDefault ? [] : [.. Departments], CreatedAt, CreatedBy, RevokedAt);
}

/// <summary>An API key as shown to callers and recorded in the audit log (no secret, no hash).</summary>
public sealed record ApiKeyView(
    string Id, string Name, string Role, IReadOnlyList<string> Departments,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt);
