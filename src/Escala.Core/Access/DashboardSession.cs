using System.Security.Cryptography;
using System.Text;

namespace Escala.Core.Access;

/// <summary>
/// A dashboard sign-in: an API key exchanged for a browser session. The browser holds the token
/// (<c>ess_{id}_{secret}</c>, 256 random bits) in an HttpOnly cookie; the store keeps only its SHA-256, so a copy
/// of the database cannot sign anyone in. A session acts with the role of its key as the key is now (a revoked key
/// ends every session it opened) and is unusable after <see cref="ExpiresAt"/> or once ended by sign-out.
/// </summary>
/// <param name="Id">16 hex characters, the public handle (audit subjects, sign-out).</param>
/// <param name="TokenHash">SHA-256 of the whole token, lower-case hex.</param>
/// <param name="KeyId">The API key signed in with.</param>
/// <param name="CreatedAt">When it was opened.</param>
/// <param name="ExpiresAt">When it stops working, whatever happens.</param>
/// <param name="EndedAt">When it was signed out, or null.</param>
public sealed record DashboardSession(string Id, string TokenHash, string KeyId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? EndedAt)
{
    /// <summary>Whether the session may still act at <paramref name="now"/>.</summary>
    public bool IsUsableAt(DateTimeOffset now) => EndedAt is null && now < ExpiresAt;
}

/// <summary>The token format of <see cref="DashboardSession"/> and the anti-forgery token derived from it.</summary>
public static class SessionTokens
{
    private const string Prefix = "ess_";
    private const int IdBytes = 8;

    /// <summary>A new session's id, the token for the cookie, and the hash to store.</summary>
    public static (string Id, string Token, string Hash) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        var token = $"{Prefix}{id}_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
        return (id, token, Hash(token));
    }

    /// <summary>The session id inside a presented token, or null when it is not in the format.</summary>
    public static string? IdOf(string? token)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length < Prefix.Length + (IdBytes * 2) + 2
            || token[Prefix.Length + (IdBytes * 2)] != '_')
        {
            return null;
        }

        var id = token.Substring(Prefix.Length, IdBytes * 2);
        return id.All(char.IsAsciiHexDigitLower) ? id : null;
    }

    /// <summary>The stored form of a token.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether <paramref name="token"/> hashes to <paramref name="storedHash"/> (constant time).</summary>
    public static bool Matches(string token, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(token)), Encoding.ASCII.GetBytes(storedHash));

    /// <summary>
    /// The anti-forgery token for forms of the session holding <paramref name="token"/>: derived from the cookie's
    /// secret, so a page of another site, which can neither read the cookie nor our pages, cannot produce it.
    /// </summary>
    public static string FormToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("escala-form:" + token)));

    /// <summary>Whether a posted anti-forgery token belongs to the session holding <paramref name="token"/> (constant time).</summary>
    public static bool FormTokenMatches(string token, string? posted) =>
        posted is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(FormToken(token)), Encoding.ASCII.GetBytes(posted));
}

/// <summary>Where dashboard sessions live (hashed). Opening and ending one appends its audit entry in the same transaction.</summary>
public interface IDashboardSessionStore
{
    /// <summary>Stores a new session.</summary>
    Task AddAsync(DashboardSession session, Audit.AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The session with this id, ended or not, or null.</summary>
    Task<DashboardSession?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Ends the session; false (nothing written) when it is unknown or already ended.</summary>
    Task<bool> EndAsync(string id, DateTimeOffset at, Audit.AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Deletes sessions that expired or ended before <paramref name="before"/> (housekeeping; they can never act again).</summary>
    Task<int> DeleteFinishedAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
