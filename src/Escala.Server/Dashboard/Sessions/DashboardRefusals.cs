using Escala.Core.Access;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Escala.Server.Dashboard.Sessions;

/// <summary>
/// A dashboard request that was not allowed: without a usable session a page read goes to sign-in (and comes back
/// after it) while an action gets 401; with a session whose role is too low, 403 and a page naming the role needed.
/// </summary>
public static class DashboardRefusals
{
    /// <summary>Writes the refusal.</summary>
    public static async Task WriteAsync(HttpContext context, PolicyAuthorizationResult result)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Challenged || context.Items[typeof(DashboardCaller)] is not DashboardCaller caller)
        {
            // A cookie that no longer works is cleared so the browser stops sending it.
            if (context.Request.Cookies.ContainsKey(SessionAuthentication.CookieName))
            {
                context.Response.Cookies.Delete(SessionAuthentication.CookieName, SessionCookie.Options(context.Request, null));
            }

            // A page read goes to sign-in; an event stream (the live chart) or a form gets the 401 itself.
            var events = context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);
            if (HttpMethods.IsGet(context.Request.Method) && !events)
            {
                var back = context.Request.Path + context.Request.QueryString;
                context.Response.Redirect("/sign-in?next=" + Uri.EscapeDataString(back.ToString()));
                return;
            }

            await DashboardResults.Refused(context, StatusCodes.Status401Unauthorized, "Your session has ended or expired. Sign in again.").ExecuteAsync(context);
            return;
        }

        var needed = result.AuthorizationFailure?.FailedRequirements.OfType<Security.MinimumRole>().Select(r => r.Role).DefaultIfEmpty().Max() ?? Role.Viewer;
        await DashboardResults.Refused(context, StatusCodes.Status403Forbidden,
            $"This needs the {needed.ToName()} role or above; you are signed in as '{caller.Principal.Name}' with the {caller.Principal.Role.ToName()} role.").ExecuteAsync(context);
    }
}
