using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Server.Dashboard.Sessions;
using Escala.Server.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Dashboard.Pages;

/// <summary>
/// <c>/sign-in</c> (an API key for a session cookie) and <c>/sign-out</c>. The key is posted once and never stored;
/// the cookie holds only the session token.
/// </summary>
public sealed class SignInPage : IDashboardPage
{
    /// <inheritdoc/>
    public NavEntry? Nav => null;

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/sign-in", Form).AllowAnonymous().WithMetadata(DashboardRoute.Instance).ExcludeFromDescription();
        routes.MapPost("/sign-in", SignInAsync).AllowAnonymous().ProtectForm().ExcludeFromDescription();
        routes.MapPost("/sign-out", SignOutAsync).RequireSessionRole(Role.Viewer).ProtectForm().ExcludeFromDescription();
    }

    private static IResult Form(HttpContext http, string? next) => Render(http, next, null, StatusCodes.Status200OK);

    private static IResult Render(HttpContext http, string? next, string? error, int status)
    {
        var body = "<h1>Sign in to Escala</h1>\n" + DashboardResults.Notice(http)
            + (error is null ? "" : $"<p class=\"notice error\" role=\"alert\">{Html.Encode(error)}</p>\n")
            + "<form class=\"stack\" method=\"post\" action=\"/sign-in\">"
            + $"<input type=\"hidden\" name=\"next\" value=\"{Html.Encode(LocalPath(next))}\">"
            + "<label for=\"key\">API key</label><input type=\"password\" id=\"key\" name=\"key\" autocomplete=\"off\" required autofocus placeholder=\"esk_…\">"
            + "<input type=\"submit\" value=\"Sign in\"></form>\n"
            + "<p class=\"muted\">Your key is exchanged for a session that ends when you sign out or after a working day; the dashboard shows and allows what your key's role allows. "
            + "No key yet? An admin creates one with <code>escala keys create NAME --role viewer</code>; a fresh server's admin key is in <code>DATA/bootstrap-admin.key</code>.</p>\n";
        return DashboardResults.Page(http, "Sign in", body, status);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, DashboardSignIn signIn, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var next = LocalPath(form["next"].ToString());
        try
        {
            var (session, token, _) = await signIn.SignInAsync(form["key"].ToString(), ct);
            http.Response.Cookies.Append(SessionAuthentication.CookieName, token, SessionCookie.Options(http.Request, session.ExpiresAt));
            return Results.Redirect(next);
        }
        catch (ProblemException refused) when (refused.Type == ProblemTypes.Unauthenticated)
        {
            return Render(http, next, refused.Detail, StatusCodes.Status401Unauthorized);
        }
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, DashboardSignIn signIn, CancellationToken ct)
    {
        var caller = http.Caller();
        await signIn.SignOutAsync(caller.Session, caller.Principal, ct);
        http.Response.Cookies.Delete(SessionAuthentication.CookieName, SessionCookie.Options(http.Request, null));
        return Results.Redirect("/sign-in?done=" + Uri.EscapeDataString("Signed out."));
    }

    // Only a path on this site: never "//other.example" or a full URL (an open redirect).
    private static string LocalPath(string? next) =>
        next is { Length: > 0 } && next[0] == '/' && (next.Length == 1 || (next[1] != '/' && next[1] != '\\')) ? next : "/";
}
