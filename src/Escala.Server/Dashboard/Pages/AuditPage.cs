using System.Globalization;
using System.Text;
using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Server.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Dashboard.Pages;

/// <summary>
/// <c>/audit</c>: the audit log newest first, filtered by subject prefix, actor and action, paged backwards, and the
/// hash chain's verification on request (it reads every record). Approver and above, as the audit API.
/// </summary>
public sealed class AuditPage : IDashboardPage
{
    /// <summary>Records per page.</summary>
    public const int PageSize = 50;

    /// <inheritdoc/>
    public NavEntry? Nav { get; } = new("Audit", "/audit", Role.Approver, 40);

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder routes) => routes.MapGet("/audit", RenderAsync).RequireSessionRole(Role.Approver).ExcludeFromDescription();

    private static async Task<IResult> RenderAsync(string? subject, string? actor, string? action, long? before, bool? verify, HttpContext http, IAuditLog log, CancellationToken ct)
    {
        var c = CultureInfo.InvariantCulture;
        var filter = new AuditFilter(subject, actor, action);
        var records = await log.ListNewestAsync(before, PageSize, filter, ct);
        var html = new StringBuilder(32 * 1024);
        html.Append("<h1>Audit log</h1>\n");
        html.Append("<form class=\"filters\" method=\"get\" action=\"/audit\">")
            .Append("<label>Subject starts with<input type=\"text\" name=\"subject\" value=\"").Text(subject).Append("\" placeholder=\"model/credit-risk\"></label>")
            .Append("<label>Actor contains<input type=\"text\" name=\"actor\" value=\"").Text(actor).Append("\" placeholder=\"carol\"></label>")
            .Append("<label>Action<input type=\"text\" name=\"action\" value=\"").Text(action).Append("\" placeholder=\"approval.approve\"></label>")
            .Append("<button type=\"submit\" class=\"act quiet\">Filter</button></form>\n");
        html.Append("<section aria-labelledby=\"chain\"><h2 id=\"chain\">Chain verification</h2>\n");
        if (verify == true)
        {
            var result = await AuditChain.VerifyAsync(log.ReadAllAsync(ct), ct);
            html.Append("<p class=\"").Append(result.IsIntact ? "ok" : "bad").Append("\" role=\"status\">").Append(result.IsIntact ? "✓ " : "✗ ").Text(result.Describe()).Append("</p>\n");
        }
        else
        {
            html.Append("<p><a href=\"/audit?verify=true\">Verify the whole chain</a> <span class=\"muted\">(recomputes every record's hash; names the first broken one)</span></p>\n");
        }

        html.Append("</section>\n<h2>Records</h2>\n");
        if (records.Count == 0)
        {
            html.Append(DashboardLayout.Empty("No record matches.", "Clear the filters, or act (register, approve, deploy): every change is recorded here."));
        }
        else
        {
            html.Append("<table><thead><tr><th scope=\"col\" class=\"num\">#</th><th scope=\"col\">at</th><th scope=\"col\">actor</th><th scope=\"col\">action</th><th scope=\"col\">subject</th><th scope=\"col\">change</th></tr></thead>\n");
            foreach (var r in records)
            {
                html.Append(c, $"<tr><td class=\"num\">{r.Sequence}</td><td>").Time(r.At).Append("</td><td>").Text(r.Actor).Append("</td><td>").Text(r.Action).Append("</td><td>")
                    .Text(r.Subject).Append("</td><td><details><summary>before / after</summary><pre>").Text(r.Before ?? "(none)").Append("</pre><pre>").Text(r.After ?? "(none)").Append("</pre></details></td></tr>\n");
            }

            html.Append("</table>\n");
            if (records.Count == PageSize)
            {
                var query = $"subject={Uri.EscapeDataString(subject ?? "")}&actor={Uri.EscapeDataString(actor ?? "")}&action={Uri.EscapeDataString(action ?? "")}&before={records[^1].Sequence.ToString(c)}";
                html.Append("<p><a href=\"/audit?").Text(query).Append("\">Older records</a></p>\n");
            }
        }

        return DashboardResults.Page(http, "Audit", html.ToString());
    }
}
