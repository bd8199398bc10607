using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Problems;
using Escala.Server.Security;
using Microsoft.Extensions.Options;

namespace Escala.Server.Dashboard.Sessions;

/// <summary>
/// Exchanges an API key for a dashboard session and ends it again. Both are audited with the key behind the session
/// (<c>dashboard.sign-in</c>, <c>dashboard.sign-out</c> on <c>session/{id}</c>); the key itself is never stored or logged.
/// </summary>
public sealed class DashboardSignIn(IDashboardSessionStore store, KeyRing keys, TimeProvider time, IOptions<DashboardSessionOptions> options)
{
    /// <summary>The session for a presented key and the token for its cookie; a bad key is refused with <c>unauthenticated</c>.</summary>
    public async Task<(DashboardSession Session, string Token, Principal Principal)> SignInAsync(string? presentedKey, CancellationToken cancellationToken)
    {
        var principal = string.IsNullOrWhiteSpace(presentedKey) ? null : keys.Authenticate(presentedKey.Trim(), out _);
        if (principal is null)
        {
            throw ProblemTypes.Unauthenticated.With("That API key is unknown, revoked or malformed; paste the whole key (esk_...).");
        }

        var now = time.GetUtcNow();
        var (id, token, hash) = SessionTokens.Generate();
        var session = new DashboardSession(id, hash, principal.KeyId, now, now + options.Value.SessionLifetime, null);
        await store.AddAsync(session, AuditEntry.Create(now, principal, "dashboard.sign-in", Subject(id), null, new { session.ExpiresAt }), cancellationToken);
        return (session, token, principal);
    }

    /// <summary>Ends the session (idempotent: ending an ended session writes nothing).</summary>
    public async Task SignOutAsync(DashboardSession session, Principal principal, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await store.EndAsync(session.Id, now, AuditEntry.Create<object>(now, principal, "dashboard.sign-out", Subject(session.Id), null, null), cancellationToken);
    }

    /// <summary>The audit subject of a session.</summary>
    public static string Subject(string id) => $"session/{id}";
}
