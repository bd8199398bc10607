using System.Text;

namespace Escala.Core.Cards;

/// <summary>
/// Renders the markdown model cards are written in to safe HTML: headings, paragraphs, lists,
/// block quotes, fenced code, tables, rules, and inline bold, italics, code and links. All text
/// is HTML-encoded and raw HTML is shown as text, so a card can never inject script; links keep
/// only http(s), mailto, anchors and relative targets.
/// </summary>
public static class MarkdownHtml
{
    /// <summary>The HTML fragment for <paramref name="markdown"/>.</summary>
    public static string Render(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var html = new StringBuilder(markdown.Length * 2);
        var paragraph = new List<string>();
        var i = 0;
        while (i < lines.Length)
        {
            var line = lines[i].TrimEnd();
            var text = line.TrimStart();
            if (text.Length == 0)
            {
                Flush(html, paragraph);
                i++;
            }
            else if (text.StartsWith("```", StringComparison.Ordinal))
            {
                Flush(html, paragraph);
                i = Fence(html, lines, i + 1);
            }
            else if (HeadingLevel(text) is var level and > 0)
            {
                Flush(html, paragraph);
                html.Append("<h").Append(level).Append('>').Append(Inline(text[level..].Trim().TrimEnd('#').TrimEnd()))
                    .Append("</h").Append(level).Append(">\n");
                i++;
            }
            else if (text is "---" or "***" or "___")
            {
                Flush(html, paragraph);
                html.Append("<hr>\n");
                i++;
            }
            else if (text.StartsWith('|') && i + 1 < lines.Length && IsTableRule(lines[i + 1]))
            {
                Flush(html, paragraph);
                i = Table(html, lines, i);
            }
            else if (ListMarker(text, out var ordered) > 0)
            {
                Flush(html, paragraph);
                i = List(html, lines, i, ordered);
            }
            else if (text.StartsWith('>'))
            {
                Flush(html, paragraph);
                var quoted = new List<string>();
                while (i < lines.Length && lines[i].TrimStart().StartsWith('>'))
                {
                    quoted.Add(lines[i].TrimStart()[1..].Trim());
                    i++;
                }

                html.Append("<blockquote><p>").Append(Inline(string.Join(' ', quoted.Where(q => q.Length > 0)))).Append("</p></blockquote>\n");
            }
            else
            {
                paragraph.Add(text);
                i++;
            }
        }

        Flush(html, paragraph);
        return html.ToString();
    }

    /// <summary>Inline markdown (bold, italics, code, links) of one line, HTML-encoded.</summary>
    public static string Inline(string text)
    {
        var html = new StringBuilder(text.Length + 16);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && IsPunctuation(text[i + 1]))
            {
                html.Append(Encode(text[i + 1]));
                i += 2;
            }
            else if (c == '`' && text.IndexOf('`', i + 1) is var codeEnd and > 0)
            {
                html.Append("<code>").Append(Escala.Core.Naming.SafeHtml.Encode(text[(i + 1)..codeEnd])).Append("</code>");
                i = codeEnd + 1;
            }
            else if (c == '*' && i + 1 < text.Length && text[i + 1] == '*' && text.IndexOf("**", i + 2, StringComparison.Ordinal) is var strongEnd and > 0)
            {
                html.Append("<strong>").Append(Inline(text[(i + 2)..strongEnd])).Append("</strong>");
                i = strongEnd + 2;
            }
            else if ((c == '*' || (c == '_' && (i == 0 || !char.IsLetterOrDigit(text[i - 1]))))
                && text.IndexOf(c, i + 1) is var emEnd and > 0 && emEnd > i + 1
                && (c == '*' || emEnd + 1 >= text.Length || !char.IsLetterOrDigit(text[emEnd + 1])))
            {
                html.Append("<em>").Append(Inline(text[(i + 1)..emEnd])).Append("</em>");
                i = emEnd + 1;
            }
            else if (c == '[' && TryLink(text, i, out var label, out var target, out var next))
            {
                var safe = SafeUrl(target);
                if (safe is null)
                {
                    html.Append(Inline(label));
                }
                else
                {
                    html.Append("<a href=\"").Append(Escala.Core.Naming.SafeHtml.Encode(safe)).Append("\" rel=\"noopener noreferrer\">")
                        .Append(Inline(label)).Append("</a>");
                }

                i = next;
            }
            else
            {
                html.Append(Encode(c));
                i++;
            }
        }

        return html.ToString();
    }

    private static void Flush(StringBuilder html, List<string> paragraph)
    {
        if (paragraph.Count == 0)
        {
            return;
        }

        html.Append("<p>").Append(Inline(string.Join(' ', paragraph))).Append("</p>\n");
        paragraph.Clear();
    }

    private static int Fence(StringBuilder html, string[] lines, int start)
    {
        html.Append("<pre><code>");
        var i = start;
        for (; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++)
        {
            html.Append(Escala.Core.Naming.SafeHtml.Encode(lines[i])).Append('\n');
        }

        html.Append("</code></pre>\n");
        return i + 1;
    }

    private static int HeadingLevel(string text)
    {
        var level = 0;
        while (level < text.Length && level < 7 && text[level] == '#')
        {
            level++;
        }

        return level is >= 1 and <= 6 && level < text.Length && text[level] == ' ' ? level : 0;
    }

    private static int ListMarker(string text, out bool ordered)
    {
        ordered = false;
        if (text.Length > 1 && text[0] is '-' or '*' or '+' && text[1] == ' ')
        {
            return 2;
        }

        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits is > 0 and < 10 && digits + 1 < text.Length && text[digits] is '.' or ')' && text[digits + 1] == ' ')
        {
            ordered = true;
            return digits + 2;
        }

        return 0;
    }

    private static int List(StringBuilder html, string[] lines, int start, bool ordered)
    {
        html.Append(ordered ? "<ol>\n" : "<ul>\n");
        var items = new List<StringBuilder>();
        var i = start;
        while (i < lines.Length)
        {
            var text = lines[i].Trim();
            var marker = ListMarker(text, out var isOrdered);
            if (marker > 0 && isOrdered == ordered)
            {
                items.Add(new StringBuilder(text[marker..].Trim()));
            }
            else if (text.Length > 0 && marker == 0 && lines[i].StartsWith(' ') && items.Count > 0)
            {
                // An indented line continues the item above it.
                items[^1].Append(' ').Append(text);
            }
            else
            {
                break;
            }

            i++;
        }

        foreach (var item in items)
        {
            html.Append("<li>").Append(Inline(item.ToString())).Append("</li>\n");
        }

        html.Append(ordered ? "</ol>\n" : "</ul>\n");
        return i;
    }

    private static bool IsTableRule(string line)
    {
        var text = line.Trim();
        return text.StartsWith('|') && text.Contains('-', StringComparison.Ordinal) && text.All(c => c is '|' or '-' or ':' or ' ');
    }

    private static int Table(StringBuilder html, string[] lines, int start)
    {
        html.Append("<table>\n<thead><tr>");
        foreach (var cell in Cells(lines[start]))
        {
            html.Append("<th>").Append(Inline(cell)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        var i = start + 2;
        for (; i < lines.Length && lines[i].TrimStart().StartsWith('|'); i++)
        {
            html.Append("<tr>");
            foreach (var cell in Cells(lines[i]))
            {
                html.Append("<td>").Append(Inline(cell)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        return i;
    }

    private static IEnumerable<string> Cells(string line)
    {
        var text = line.Trim();
        if (text.StartsWith('|'))
        {
            text = text[1..];
        }

        if (text.EndsWith('|'))
        {
            text = text[..^1];
        }

        return text.Split('|').Select(cell => cell.Trim());
    }

    private static bool TryLink(string text, int open, out string label, out string target, out int next)
    {
        label = target = "";
        next = open;
        var close = text.IndexOf("](", open + 1, StringComparison.Ordinal);
        var end = close < 0 ? -1 : text.IndexOf(')', close + 2);
        if (close < 0 || end < 0)
        {
            return false;
        }

        label = text[(open + 1)..close];
        target = text[(close + 2)..end].Trim();
        next = end + 1;
        return true;
    }

    private static string? SafeUrl(string url)
    {
        if (url.Length == 0 || url.Any(char.IsControl) || url.Contains(' ', StringComparison.Ordinal))
        {
            return null;
        }

        if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith('#'))
        {
            return url;
        }

        // A relative link has no scheme: no ':' before the first '/', '?' or '#' (this rules out javascript: and data:).
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var boundary = url.IndexOfAny(['/', '?', '#']);
        return colon < 0 || (boundary >= 0 && boundary < colon) ? url : null;
    }

    private static bool IsPunctuation(char c) => char.IsAsciiLetterOrDigit(c) is false && c is > ' ' and < (char)127;

    private static string Encode(char c) => c switch
    {
        '<' => "&lt;",
        '>' => "&gt;",
        '&' => "&amp;",
        '"' => "&quot;",
        '\'' => "&#39;",
        _ when Naming.TextSafety.IsUnsafe(c) && c is not '\n' and not '\t' => Naming.TextSafety.Neutralise(c.ToString()),
        _ => c.ToString(),
    };
}
