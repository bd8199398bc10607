using Escala.Server.Dashboard.Sessions;
using Escala.Server.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Dashboard;

/// <summary>How dashboard routes answer: pages in the layout with the dashboard's security headers, and refusals as pages.</summary>
public static class DashboardResults
{
    /// <summary>A page titled <paramref name="title"/> with <paramref name="body"/> for the signed-in caller.</summary>
    public static IResult Page(HttpContext http, string title, string body, int status = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(http);
        Secure(http.Response);
        var caller = http.Items[typeof(DashboardCaller)] as DashboardCaller;
        var nav = http.RequestServices.GetServices<IDashboardPage>().Select(p => p.Nav).OfType<NavEntry>();
        return Results.Content(DashboardLayout.Render(title, http.Request.Path.Value ?? "/", caller, nav, body), "text/html; charset=utf-8", null, status);
    }

    /// <summary>A refusal as a page with <paramref name="status"/>, saying why and what to do.</summary>
    public static IResult Refused(HttpContext http, int status, string message) =>
        Page(http, status == StatusCodes.Status403Forbidden ? "Not allowed" : "Refused",
            $"<h1>{(status == StatusCodes.Status403Forbidden ? "Not allowed" : "Refused")}</h1>\n<p class=\"notice error\" role=\"alert\">{Html.Encode(message)}</p>\n<p><a href=\"/\">Back to the overview</a></p>\n",
            status);

    /// <summary>Back to <paramref name="path"/> after a form, with a message shown there (a 302, which the browser follows with a GET).</summary>
    public static IResult After(string path, string message) =>
        Results.Redirect($"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}done={Uri.EscapeDataString(message)}", permanent: false, preserveMethod: false);

    /// <summary>
    /// Runs a form's action and goes back to <paramref name="path"/> saying what happened; a refusal by the rules
    /// (four-eyes, a conflict, a wrong stage) goes back with its reason instead of an error page.
    /// </summary>
    public static async Task<IResult> ActAsync(string path, Func<Task<string>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return After(path, await action());
        }
        catch (Core.Problems.ProblemException refused)
        {
            return Results.Redirect($"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}error={Uri.EscapeDataString(refused.Detail)}");
        }
    }

    /// <summary>The notice for a <c>?done=</c> or <c>?error=</c> message after a form, or nothing.</summary>
    public static string Notice(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var done = http.Request.Query["done"].ToString();
        var error = http.Request.Query["error"].ToString();
        return (done.Length == 0 ? "" : $"<p class=\"notice\" role=\"status\">{Html.Encode(done)}</p>\n")
            + (error.Length == 0 ? "" : $"<p class=\"notice error\" role=\"alert\">Refused: {Html.Encode(error)}</p>\n");
    }

    /// <summary>No caching, no sniffing, no referrer to other sites, never framed.</summary>
    public static void Secure(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.ContentSecurityPolicy = DashboardLayout.Policy;
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "same-origin";
    }

    /// <summary>The caller of a session route.</summary>
    public static DashboardCaller Caller(this HttpContext http) =>
        http.Items[typeof(DashboardCaller)] as DashboardCaller ?? throw new InvalidOperationException("This route has no session; declare RequireSessionRole on it.");
}
