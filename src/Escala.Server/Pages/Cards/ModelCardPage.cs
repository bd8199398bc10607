using System.Globalization;
using System.Text;
using Escala.Core.Registry;

namespace Escala.Server.Pages.Cards;

/// <summary>A version's model card: the registry facts first, then the card itself rendered from Markdown.</summary>
public static class ModelCardPage
{
    /// <summary>The standalone HTML page for <paramref name="card"/> of <paramref name="version"/>.</summary>
    public static string Render(Model model, ModelVersion version, ModelCard card) =>
        PageLayout.Standalone($"{version.Model} v{version.Version.ToString(CultureInfo.InvariantCulture)} - model card", Body(model, version, card));

    /// <summary>The facts table and the rendered card, for a page or the dashboard.</summary>
    public static string Body(Model model, ModelVersion version, ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(card);
        var html = new StringBuilder(4096);
        html.Append("<table class=\"facts\">\n");
        html.Fact("Model", model.Name);
        html.Fact("Version", version.Version.ToString(CultureInfo.InvariantCulture));
        html.Fact("Stage", StageTransitions.ToName(version.Stage));
        html.Fact("Department", model.Department ?? "organisation-wide");
        html.Fact("Artifact", version.Artifact.ToString());
        html.Fact("Registered", $"{version.CreatedAt:u} by {version.CreatedBy}");
        html.Fact("Card updated", $"{card.UpdatedAt:u} by {card.UpdatedBy}");
        html.Append("</table>\n<article class=\"card-md\">\n").Append(MarkdownHtml.Render(card.Markdown)).Append("</article>\n");
        return html.ToString();
    }
}
