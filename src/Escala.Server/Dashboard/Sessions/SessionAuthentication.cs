using System.Security.Claims;
using System.Text.Encodings.Web;
using Escala.Core.Access;
using Escala.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escala.Server.Dashboard.Sessions;

/// <summary>
/// Authenticates dashboard requests by their session cookie: the token's id finds the stored session, its hash must
/// match, the session must be neither ended nor expired, and its key must still be active (the role is the key's
/// current one). API routes never accept the cookie, and dashboard routes never accept an API key header, so a form
/// on another site can only reach routes that also check the form token.
/// </summary>
public sealed class SessionAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IDashboardSessionStore sessions, KeyRing keys, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "DashboardSession";

    /// <summary>The cookie holding the session token.</summary>
    public const string CookieName = "escala_session";

    /// <inheritdoc/>
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = Request.Cookies[CookieName];
        if (string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        var id = SessionTokens.IdOf(token);
        var session = id is null ? null : await sessions.FindAsync(id, Context.RequestAborted);
        if (session is null || !SessionTokens.Matches(token, session.TokenHash))
        {
            return AuthenticateResult.Fail("The session is unknown.");
        }

        if (!session.IsUsableAt(time.GetUtcNow()))
        {
            return AuthenticateResult.Fail(session.EndedAt is null ? "The session has expired." : "The session was signed out.");
        }

        var principal = keys.PrincipalFor(session.KeyId);
        if (principal is null)
        {
            return AuthenticateResult.Fail("The key behind the session has been revoked.");
        }

        Context.Items[typeof(Principal)] = principal;
        Context.Items[typeof(DashboardCaller)] = new DashboardCaller(principal, session, SessionTokens.FormToken(token));
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, principal.KeyId), new Claim(ClaimTypes.Name, principal.Name), new Claim(ClaimTypes.Role, principal.Role.ToName())],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

/// <summary>Who is using the dashboard: the key's principal, the session and the anti-forgery token its forms carry.</summary>
public sealed record DashboardCaller(Principal Principal, DashboardSession Session, string FormToken);
