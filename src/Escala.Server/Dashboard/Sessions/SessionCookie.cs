using Microsoft.AspNetCore.Http;

namespace Escala.Server.Dashboard.Sessions;

/// <summary>The session cookie's attributes: HttpOnly (no script reads it), SameSite=Strict (no other site's request carries it), Secure when the request came over TLS, and the session's expiry.</summary>
public static class SessionCookie
{
    /// <summary>The options for a cookie expiring at <paramref name="expires"/> (null: when deleting).</summary>
    public static CookieOptions Options(HttpRequest request, DateTimeOffset? expires)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = request.IsHttps,
            Path = "/",
            Expires = expires,
            IsEssential = true,
        };
    }
}
