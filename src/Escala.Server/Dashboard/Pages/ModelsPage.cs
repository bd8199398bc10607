using System.Globalization;
using System.Text;
using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Server.Pages;
using Escala.Server.Pages.Cards;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Dashboard.Pages;

/// <summary>
/// <c>/models</c>: every model and the approvals queue (approve / reject for approvers, four-eyes enforced by the
/// registry); <c>/models/{model}</c>: versions with stages, aliases and metrics, one version's lineage both ways and its
/// model card rendered.
/// </summary>
public sealed class ModelsPage : IDashboardPage
{
    /// <summary>Versions listed per page of a model (newest first).</summary>
    public const int VersionsShown = 50;

    /// <inheritdoc/>
    public NavEntry? Nav { get; } = new("Models", "/models", Role.Viewer, 10);

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/models", ListAsync).RequireSessionRole(Role.Viewer).ExcludeFromDescription();
        routes.MapGet("/models/{model}", ShowAsync).RequireSessionRole(Role.Viewer).ExcludeFromDescription();
        routes.MapPost("/approvals/{id:long}/approve", ApproveAsync).RequireSessionRole(Role.Approver).ProtectForm().ExcludeFromDescription();
        routes.MapPost("/approvals/{id:long}/reject", RejectAsync).RequireSessionRole(Role.Approver).ProtectForm().ExcludeFromDescription();
    }

    private static async Task<IResult> ListAsync(HttpContext http, ModelRegistry registry, Promotions promotions, CancellationToken ct)
    {
        var caller = http.Caller();
        var c = CultureInfo.InvariantCulture;
        var models = await registry.ListModelsAsync(ct);
        var html = new StringBuilder(8192);
        html.Append("<h1>Models</h1>\n").Append(DashboardResults.Notice(http));
        if (models.Count == 0)
        {
            html.Append(DashboardLayout.Empty("No model is registered yet.", "A scientist registers one with <code>escala models register credit-risk model.onnx</code> (or run <code>escala demo</code> to see the whole story)."));
        }
        else
        {
            html.Append("<table><thead><tr><th scope=\"col\">model</th><th scope=\"col\">department</th><th scope=\"col\" class=\"num\">versions</th><th scope=\"col\" class=\"num\">latest</th><th scope=\"col\" class=\"num\">in production</th><th scope=\"col\">four-eyes</th><th scope=\"col\">description</th></tr></thead>\n");
            foreach (var m in models)
            {
                html.Append("<tr><td><a href=\"/models/").Text(Uri.EscapeDataString(m.Model.Name)).Append("\">").Text(m.Model.Name).Append("</a></td><td>")
                    .Text(m.Model.Department ?? "organisation-wide").Append("</td>")
                    .Append(c, $"<td class=\"num\">{m.VersionCount}</td><td class=\"num\">{(m.LatestVersion is { } l ? "v" + l.ToString(c) : "–")}</td><td class=\"num\">{(m.ProductionVersion is { } p ? "v" + p.ToString(c) : "none")}</td>")
                    .Append("<td>").Append(m.Model.RequireApproval ? "on" : "off").Append("</td><td>").Text(m.Model.Description).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("<h2 id=\"approvals\">Approvals queue</h2>\n");
        var pending = await promotions.ListAsync(ApprovalStatus.Pending, null, ct);
        if (pending.Count == 0)
        {
            html.Append(DashboardLayout.Empty("Nothing waits for approval.", "A request appears here when someone asks to move a version to production: <code>escala models stage MODEL N production</code>."));
        }
        else
        {
            if (!caller.Principal.HasRole(Role.Approver))
            {
                html.Append("<p class=\"muted\">Approving needs the approver role; your key has the ").Text(caller.Principal.Role.ToName()).Append(" role.</p>\n");
            }

            html.Append("<table><thead><tr><th scope=\"col\">#</th><th scope=\"col\">version</th><th scope=\"col\">change</th><th scope=\"col\">asked by</th><th scope=\"col\">when</th><th scope=\"col\">why</th><th scope=\"col\">decision</th></tr></thead>\n");
            foreach (var r in pending)
            {
                html.Append(c, $"<tr><td>{r.Id}</td><td><a href=\"/models/{Html.Encode(Uri.EscapeDataString(r.Model))}?version={r.Version}\">").Text($"{r.Model} v{r.Version}").Append("</a></td><td>")
                    .Text($"{StageTransitions.ToName(r.From)} → {StageTransitions.ToName(r.To)}").Append("</td><td>").Text(r.RequestedByName).Append("</td><td>").Time(r.RequestedAt)
                    .Append("</td><td>").Text(r.Comment).Append("</td><td>");
                if (string.Equals(r.RequestedBy, caller.Principal.KeyId, StringComparison.Ordinal))
                {
                    html.Append("<span class=\"muted\">your own request: another approver decides (four-eyes)</span>");
                }
                else
                {
                    var comment = $"<label class=\"skip\" for=\"comment-{r.Id}\">Comment</label><input type=\"text\" id=\"comment-{r.Id}\" name=\"comment\" placeholder=\"comment\" aria-label=\"Comment on request {r.Id}\"> ";
                    html.Append(DashboardLayout.ActionButton(caller, Role.Approver, $"/approvals/{r.Id}/approve", $"Approve #{r.Id}", null, comment))
                        .Append(' ').Append(DashboardLayout.ActionButton(caller, Role.Approver, $"/approvals/{r.Id}/reject", $"Reject #{r.Id}", "danger"));
                }

                html.Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        return DashboardResults.Page(http, "Models", html.ToString());
    }

    private static async Task<IResult> ShowAsync(string model, int? version, HttpContext http, ModelRegistry registry, CancellationToken ct)
    {
        var c = CultureInfo.InvariantCulture;
        Model owner;
        try
        {
            owner = await registry.GetModelAsync(model, ct);
        }
        catch (ProblemException missing) when (missing.Type == ProblemTypes.NotFound)
        {
            return DashboardResults.Refused(http, StatusCodes.Status404NotFound, missing.Detail);
        }

        var versions = await registry.ListVersionsAsync(model, ct);
        var aliases = await registry.ListAliasesAsync(model, ct);
        var html = new StringBuilder(16 * 1024);
        html.Append("<h1>").Text(owner.Name).Append("</h1>\n").Append(DashboardResults.Notice(http));
        html.Append("<p>").Text(owner.Description ?? "No description.").Append(" <span class=\"muted\">Owned by ").Text(owner.Department ?? "the whole organisation")
            .Append("; four-eyes ").Append(owner.RequireApproval ? "on" : "off").Append(".</span></p>\n");
        if (versions.Count == 0)
        {
            html.Append(DashboardLayout.Empty("This model has no version yet.", $"Register one with <code>escala models register {Html.Encode(owner.Name)} model.onnx</code>."));
            return DashboardResults.Page(http, owner.Name, html.ToString());
        }

        var metricNames = versions.Take(VersionsShown).SelectMany(v => v.Metrics.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(6).ToList();
        html.Append("<h2>Versions</h2>\n");
        if (versions.Count > VersionsShown)
        {
            html.Append(c, $"<p class=\"muted\">The newest {VersionsShown} of {versions.Count:N0} versions; open any with <code>?version=N</code>.</p>\n");
        }

        html.Append("<table><thead><tr><th scope=\"col\">version</th><th scope=\"col\">stage</th><th scope=\"col\">aliases</th>");
        foreach (var name in metricNames)
        {
            html.Append("<th scope=\"col\" class=\"num\">").Text(name).Append("</th>");
        }

        html.Append("<th scope=\"col\">registered</th><th scope=\"col\">by</th></tr></thead>\n");
        foreach (var v in versions.OrderByDescending(v => v.Version).Take(VersionsShown))
        {
            html.Append(c, $"<tr><td><a href=\"?version={v.Version}\">v{v.Version}</a></td><td>").Text(StageTransitions.ToName(v.Stage)).Append("</td><td>")
                .Text(string.Join(", ", aliases.Where(a => a.Version == v.Version).Select(a => a.Alias))).Append("</td>");
            foreach (var name in metricNames)
            {
                html.Append("<td class=\"num\">").Append(v.Metrics.TryGetValue(name, out var value) ? Html.Number(value) : "").Append("</td>");
            }

            html.Append("<td>").Time(v.CreatedAt).Append("</td><td>").Text(v.CreatedBy).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
        var chosen = version ?? versions.Max(v => v.Version);
        if (!versions.Any(v => v.Version == chosen))
        {
            return DashboardResults.Refused(http, StatusCodes.Status404NotFound, $"{owner.Name} has no version {chosen}.");
        }

        var (ancestors, children) = await LineageAsync(registry, versions, chosen, ct);
        var (shown, card, generated) = await registry.GetCardAsync(model, chosen.ToString(c), ct);
        html.Append(c, $"<h2>Version {chosen}: lineage</h2>\n<table class=\"facts\">\n");
        html.Fact("Training data", shown.Lineage.DataFingerprint ?? "not recorded")
            .Fact("Pipeline run", shown.Lineage.PipelineRun ?? "not recorded")
            .Fact("Code revision", shown.Lineage.CodeRevision ?? "not recorded");
        html.Append("<tr><th scope=\"row\">Derived from</th><td>").Append(Links(ancestors)).Append("</td></tr>\n")
            .Append("<tr><th scope=\"row\">Derived versions</th><td>").Append(Links(children)).Append("</td></tr>\n</table>\n");
        html.Append(c, $"<h2>Version {chosen}: model card</h2>\n");
        if (generated)
        {
            html.Append("<p class=\"muted\">No card was written for this version; this one is generated from the registry. Write one with <code>escala models card set</code>.</p>\n");
        }

        html.Append(ModelCardPage.Body(owner, shown, card));
        return DashboardResults.Page(http, owner.Name, html.ToString());
    }

    /// <summary>Ancestors shown on the page (nearest first).</summary>
    public const int AncestorsShown = 20;

    // The same walk as ModelRegistry.GetLineageAsync, but over the versions this page already loaded: a long chain of
    // retrainings (hundreds of versions) would otherwise cost one query per ancestor. Parents in another model are
    // read from the registry; children come from its lineage index in one query.
    private static async Task<(List<VersionRef> Ancestors, IReadOnlyList<VersionRef> Children)> LineageAsync(
        ModelRegistry registry, IReadOnlyList<ModelVersion> versions, int chosen, CancellationToken ct)
    {
        var byNumber = versions.ToDictionary(v => v.Version);
        var ancestors = new List<VersionRef>();
        var seen = new HashSet<VersionRef>();
        var parent = byNumber.TryGetValue(chosen, out var start) ? start.Lineage.Parent : null;
        while (parent is not null && ancestors.Count < AncestorsShown && seen.Add(parent))
        {
            ancestors.Add(parent);
            parent = parent.Model == start!.Model && byNumber.TryGetValue(parent.Version, out var local)
                ? local.Lineage.Parent
                : (await registry.GetVersionAsync(parent.Model, parent.Version.ToString(CultureInfo.InvariantCulture), ct)).Lineage.Parent;
        }

        var children = await registry.FindByLineageAsync(new LineageQuery(null, null, null, new VersionRef(start?.Model ?? "", chosen)), ct);
        return (ancestors, [.. children.Select(v => v.Ref)]);
    }

    private static string Links(IReadOnlyList<VersionRef> refs) =>
        refs.Count == 0
            ? "none"
            : string.Join(", ", refs.Select(r => $"<a href=\"/models/{Html.Encode(Uri.EscapeDataString(r.Model))}?version={r.Version.ToString(CultureInfo.InvariantCulture)}\">{Html.Encode(r.ToString())}</a>"));

    private static async Task<IResult> ApproveAsync(long id, HttpContext http, Promotions promotions, CancellationToken ct)
    {
        var comment = (await http.Request.ReadFormAsync(ct))["comment"].ToString();
        return await DashboardResults.ActAsync("/models", async () =>
        {
            var (request, version) = await promotions.ApproveAsync(http.Caller().Principal, id, comment.Length == 0 ? "Approved in the dashboard." : comment, ct);
            return $"Approved #{request.Id}: {version.Model} v{version.Version} is in {StageTransitions.ToName(version.Stage)}.";
        });
    }

    private static async Task<IResult> RejectAsync(long id, HttpContext http, Promotions promotions, CancellationToken ct)
    {
        var comment = (await http.Request.ReadFormAsync(ct))["comment"].ToString();
        return await DashboardResults.ActAsync("/models", async () =>
        {
            var request = await promotions.RejectAsync(http.Caller().Principal, id, comment.Length == 0 ? "Rejected in the dashboard." : comment, ct);
            return $"Rejected #{request.Id} ({request.Model} v{request.Version}).";
        });
    }
}
