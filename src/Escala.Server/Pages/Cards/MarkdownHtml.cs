using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Escala.Server.Pages.Cards;

/// <summary>
/// Renders the Markdown model cards are written in (CommonMark plus pipe tables, via Markdig) to HTML that cannot
/// carry script: raw HTML is disabled (shown as text), and a link or image keeps its target only when it is http(s)
/// or has no scheme at all (an anchor or a relative path); any other (javascript:, data:, vbscript:, file:) is
/// replaced by its text.
/// </summary>
public static class MarkdownHtml
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .DisableHtml()
        .Build();

    /// <summary>The HTML fragment for <paramref name="markdown"/>.</summary>
    public static string Render(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (!IsSafe(link.Url))
            {
                Unwrap(link);
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (autolink.IsEmail || !IsSafe(autolink.Url))
            {
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
            }
        }

        return document.ToHtml(Pipeline);
    }

    /// <summary>Whether <paramref name="url"/> may be a link target: http(s), or no scheme (anchor, relative path).</summary>
    public static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }

        var trimmed = url.Trim();
        // Browsers ignore tabs and newlines inside a scheme ("java\tscript:"), so judge the URL without them.
        var compact = string.Concat(trimmed.Where(ch => !char.IsControl(ch) && !char.IsWhiteSpace(ch)));
        var colon = compact.IndexOf(':', StringComparison.Ordinal);
        var firstBreak = compact.IndexOfAny(['/', '?', '#']);
        var hasScheme = colon >= 0 && (firstBreak < 0 || colon < firstBreak);
        return !hasScheme
            || compact.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || compact.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
    }

    // A refused link becomes its text (an image its description), in place.
    private static void Unwrap(LinkInline link)
    {
        if (link.IsImage)
        {
            var alt = string.Concat(link.Descendants<LiteralInline>().Select(l => l.Content.ToString()));
            link.ReplaceBy(new LiteralInline(alt));
            return;
        }

        Inline? cursor = link;
        var child = link.FirstChild;
        while (child is not null)
        {
            var next = child.NextSibling;
            child.Remove();
            cursor.InsertAfter(child);
            cursor = child;
            child = next;
        }

        link.Remove();
    }
}
