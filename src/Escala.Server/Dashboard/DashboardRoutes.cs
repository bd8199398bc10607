using Escala.Core.Access;
using Escala.Server.Dashboard.Sessions;
using Escala.Server.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Escala.Server.Dashboard;

/// <summary>Marks a dashboard route: refusals become a sign-in redirect or an HTML page instead of problem JSON.</summary>
public sealed class DashboardRoute
{
    /// <summary>The one instance.</summary>
    public static DashboardRoute Instance { get; } = new();
}

/// <summary>How dashboard routes declare who may use them and protect their forms.</summary>
public static class DashboardRoutes
{
    /// <summary>The form field carrying the anti-forgery token.</summary>
    public const string FormTokenField = "_csrf";

    /// <summary>
    /// Only sessions whose key has <paramref name="minimum"/> or a higher role may use the route(s); the same
    /// <see cref="MinimumRole"/> metadata as API routes, so the route-table and documentation tests read both alike.
    /// </summary>
    public static TBuilder RequireSessionRole<TBuilder>(this TBuilder builder, Role minimum) where TBuilder : IEndpointConventionBuilder
    {
        var requirement = new MinimumRole(minimum);
        var policy = new AuthorizationPolicyBuilder(SessionAuthentication.SchemeName).RequireAuthenticatedUser().AddRequirements(requirement).Build();
        return builder.RequireAuthorization(policy).WithMetadata(requirement, DashboardRoute.Instance);
    }

    /// <summary>A state-changing form: refused unless it comes from this site and carries the session's anti-forgery token.</summary>
    public static RouteHandlerBuilder ProtectForm(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!IsSameSite(http.Request))
            {
                return DashboardResults.Refused(http, StatusCodes.Status403Forbidden, "Refused: this form was sent from another site.");
            }

            var caller = http.Items[typeof(DashboardCaller)] as DashboardCaller;
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : null;
            var posted = form?[FormTokenField].ToString();
            if (caller is not null && !Core.Access.SessionTokens.FormTokenMatches(
                    http.Request.Cookies[SessionAuthentication.CookieName] ?? "", posted))
            {
                return DashboardResults.Refused(http, StatusCodes.Status403Forbidden, "Refused: the form's security token is missing or belongs to another session. Reload the page and try again.");
            }

            return await next(context);
        }).WithMetadata(DashboardRoute.Instance);

    /// <summary>
    /// Whether a browser says the request comes from our own pages: <c>Sec-Fetch-Site</c> when sent, else <c>Origin</c>
    /// when sent; a client that sends neither (not a browser) must still carry the form token.
    /// </summary>
    public static bool IsSameSite(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is "same-origin" or "none";
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }
}
