using System.Security.Claims;
using System.Text.Encodings.Web;
using Escala.Core.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Escala.Server.Security;

/// <summary>
/// Authenticates requests by API key, read from <c>Authorization: Bearer &lt;key&gt;</c> or
/// <c>X-Api-Key</c>. The caller's <see cref="Principal"/> is kept on the request for endpoints
/// (<see cref="CallerContext.GetPrincipal"/>); failures become 401 problem details in
/// <see cref="ProblemAuthorizationResultHandler"/>.
/// </summary>
public sealed partial class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, KeyRing keys, SecurityMetrics metrics)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The alternative header carrying the key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>The request item holding why a presented key was refused.</summary>
    public const string FailureItem = "escala:authentication-failure";

    /// <summary>The claim type of each department a key is scoped to.</summary>
    public const string DepartmentClaim = "escala:department";

    /// <inheritdoc/>
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request.Headers);
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var principal = keys.Authenticate(presented, out var failure);
        if (principal is null)
        {
            // The middleware keeps only successful results; the 401 answer needs to say why this key was refused.
            Context.Items[FailureItem] = failure;

            // Counted and logged with the address, the path and the key id the caller claimed (never the secret), so
            // key guessing shows; the rate limiter throttles these per address.
            var claimedId = ApiKeySecret.IdOf(presented);
            var reason = claimedId is null ? "malformed" : "unknown_or_revoked";
            metrics.AuthenticationFailed(reason);
            var address = Context.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : "unknown";
            LogRefused(Logger, reason, address, Escala.Core.Naming.TextSafety.Neutralise(Request.Path.Value ?? ""), claimedId ?? "-");
            return Task.FromResult(AuthenticateResult.Fail(failure!));
        }

        Context.Items[typeof(Principal)] = principal;
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, principal.KeyId),
            new(ClaimTypes.Name, principal.Name),
            new(ClaimTypes.Role, principal.Role.ToName()),
        };
        claims.AddRange(principal.Departments.Select(d => new Claim(DepartmentClaim, d)));
        var identity = new ClaimsIdentity(claims, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "API key refused ({Reason}) from {Address} for {Path}, key id {KeyId}")]
    private static partial void LogRefused(ILogger logger, string reason, string address, string path, string keyId);

    private static string? Presented(IHeaderDictionary headers)
    {
        var authorization = headers[HeaderNames.Authorization].ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var header = headers[HeaderName].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }
}
