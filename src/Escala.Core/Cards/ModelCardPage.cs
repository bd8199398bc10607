using System.Globalization;
using System.Text;
using Escala.Core.Registry;

namespace Escala.Core.Cards;

/// <summary>A version's model card as a standalone HTML page: the registry facts first, then the card itself.</summary>
public static class ModelCardPage
{
    /// <summary>The HTML page for <paramref name="card"/> of <paramref name="version"/>.</summary>
    public static string Render(Model model, ModelVersion version, ModelCard card)
    {
        var title = Escala.Core.Naming.SafeHtml.Encode($"{version.Model} v{version.Version.ToString(CultureInfo.InvariantCulture)} - model card");
        var html = new StringBuilder(4096);
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(title).Append("</title>\n");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
        html.Append("<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}")
            .Append("table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}")
            .Append("code,pre{background:#f6f8fa}pre{padding:.6rem;overflow:auto}.facts td:first-child{color:#57606a}</style>\n");
        html.Append("</head><body>\n<table class=\"facts\">\n");
        Row(html, "Model", model.Name);
        Row(html, "Version", version.Version.ToString(CultureInfo.InvariantCulture));
        Row(html, "Stage", StageTransitions.ToName(version.Stage));
        Row(html, "Department", model.Department ?? "organisation-wide");
        Row(html, "Artifact", version.Artifact.ToString());
        Row(html, "Registered", $"{version.CreatedAt:u} by {version.CreatedBy}");
        Row(html, "Card updated", $"{card.UpdatedAt:u} by {card.UpdatedBy}");
        html.Append("</table>\n<article>\n").Append(MarkdownHtml.Render(card.Markdown)).Append("</article>\n</body></html>\n");
        return html.ToString();
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><td>").Append(Escala.Core.Naming.SafeHtml.Encode(name)).Append("</td><td>").Append(Escala.Core.Naming.SafeHtml.Encode(value)).Append("</td></tr>\n");
}
