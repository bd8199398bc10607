using System.Text;

namespace Escala.Server.Pages;

/// <summary>
/// The frame of a standalone page (a drift report, a status page, a model card): one document with the shared
/// styles and a policy that forbids script and every remote resource, so a saved report opens anywhere and a
/// user-written string can never run as code. The dashboard adds its navigation around the same styles.
/// </summary>
public static class PageLayout
{
    /// <summary>The policy of standalone pages: inline styles only.</summary>
    public const string StandalonePolicy = "default-src 'none'; style-src 'unsafe-inline'";

    /// <summary>The whole document for <paramref name="body"/> titled <paramref name="title"/>.</summary>
    public static string Standalone(string title, string body)
    {
        var html = new StringBuilder(body.Length + PageStyles.Css.Length + 512);
        Head(html, title, StandalonePolicy);
        html.Append("</head><body><main>\n").Append(body).Append("</main></body></html>\n");
        return html.ToString();
    }

    /// <summary>Opens a document: charset, viewport, title, the policy (also sent as a header) and the styles; the caller closes <c>head</c>.</summary>
    public static void Head(StringBuilder html, string title, string policy)
    {
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>").Text(title).Append("</title>\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(policy).Append("\">\n")
            .Append("<style>").Append(PageStyles.Css).Append("</style>\n");
    }
}
