using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Dashboard;

/// <summary>
/// The dashboard's only script, served by the server itself (no CDN, no build step, no library): progressive
/// enhancement on pages that work without it. It shows times in the viewer's time zone and keeps live charts
/// current from server-sent events; the charts themselves are drawn by the server's chart kit.
/// </summary>
public static class DashboardAssets
{
    /// <summary>The script.</summary>
    public const string Script = """
        "use strict";
        (function () {
          function localTimes(root) {
            root.querySelectorAll("time[datetime]").forEach(function (t) {
              var d = new Date(t.getAttribute("datetime"));
              if (!isNaN(d.getTime()) && !t.hasAttribute("data-local")) {
                t.title = t.textContent;
                t.textContent = d.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" });
                t.setAttribute("data-local", "");
              }
            });
          }
          localTimes(document);
          document.querySelectorAll("[data-live]").forEach(function (panel) {
            var source = new EventSource(panel.getAttribute("data-live"));
            source.addEventListener("traffic", function (e) {
              panel.innerHTML = e.data;
              panel.setAttribute("data-updates", String(Number(panel.getAttribute("data-updates") || "0") + 1));
            });
            source.onerror = function () { panel.setAttribute("data-state", "reconnecting"); };
            source.onopen = function () { panel.setAttribute("data-state", "live"); };
          });
        })();
        """;

    /// <summary>Maps <c>/assets/dashboard.js</c> (anonymous: the sign-in page uses it too, and it holds nothing secret).</summary>
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/assets/dashboard.js", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Text(Script, "text/javascript; charset=utf-8");
        }).AllowAnonymous().ExcludeFromDescription();
}
