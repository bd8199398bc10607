using System.Text;
using Escala.Core.Access;
using Escala.Server.Dashboard.Sessions;
using Escala.Server.Pages;

namespace Escala.Server.Dashboard;

/// <summary>
/// The dashboard's frame around a page: a skip link, the navigation (only entries the caller's role may open, the
/// current one marked for screen readers too), who is signed in with which role, sign-out, then the page in
/// <c>main</c>. Shares <see cref="PageLayout.Head"/> and the style sheet with every standalone report.
/// </summary>
public static class DashboardLayout
{
    /// <summary>The dashboard's content policy: our own script and server-sent events, inline styles, nothing remote, never framed.</summary>
    public const string Policy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>The whole document.</summary>
    public static string Render(string title, string currentPath, DashboardCaller? caller, IEnumerable<NavEntry> nav, string body)
    {
        var html = new StringBuilder(body.Length + 8192);
        PageLayout.Head(html, title + " · Escala", Policy);
        html.Append("<script src=\"/assets/dashboard.js\" defer></script>\n</head><body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n");
        html.Append("<header class=\"bar\"><a class=\"brand\" href=\"/\">Escala</a>");
        if (caller is not null)
        {
            html.Append("<nav aria-label=\"Dashboard\"><ul>");
            foreach (var entry in nav.Where(e => caller.Principal.HasRole(e.Minimum)).OrderBy(e => e.Order))
            {
                var current = entry.Path == "/" ? currentPath == "/" : currentPath.StartsWith(entry.Path, StringComparison.Ordinal);
                html.Append("<li><a href=\"").Text(entry.Path).Append('"').Append(current ? " aria-current=\"page\"" : "").Append('>').Text(entry.Label).Append("</a></li>");
            }

            html.Append("</ul></nav><div class=\"who\"><span>").Text(caller.Principal.Name).Append(" · ").Text(caller.Principal.Role.ToName())
                .Append(caller.Principal.IsOrganisationWide ? "" : " · " + Html.Encode(string.Join(", ", caller.Principal.Departments)))
                .Append("</span><form class=\"inline\" method=\"post\" action=\"/sign-out\">").Append(FormToken(caller))
                .Append("<button type=\"submit\">Sign out</button></form></div>");
        }

        html.Append("</header>\n<main id=\"main\">\n").Append(body).Append("</main>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>The hidden anti-forgery field every form of the session carries.</summary>
    public static string FormToken(DashboardCaller caller) =>
        $"<input type=\"hidden\" name=\"{DashboardRoutes.FormTokenField}\" value=\"{caller.FormToken}\">";

    /// <summary>A form with one button posting to <paramref name="action"/>, shown only when the caller's role may use it.</summary>
    public static string ActionButton(DashboardCaller caller, Role minimum, string action, string label, string? css = null, string? extraFields = null) =>
        !caller.Principal.HasRole(minimum)
            ? ""
            : $"<form class=\"inline\" method=\"post\" action=\"{Html.Encode(action)}\">{FormToken(caller)}{extraFields}<button type=\"submit\" class=\"act{(css is null ? "" : " " + css)}\">{Html.Encode(label)}</button></form>";

    /// <summary>An empty state: what is missing and what to do next.</summary>
    public static string Empty(string what, string next) => $"<p class=\"empty\">{Html.Encode(what)} {next}</p>\n";
}
