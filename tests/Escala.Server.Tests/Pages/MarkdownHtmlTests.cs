using Escala.Server.Pages.Cards;

namespace Escala.Server.Tests.Pages;

public sealed class MarkdownHtmlTests
{
    [Fact]
    public void Render_RawHtml_IsShownAsText()
    {
        var html = MarkdownHtml.Render("<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>");
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JavaScript:alert(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("[click](vbscript:msgbox)")]
    [InlineData("[click](java\tscript:alert(1))")]
    [InlineData("[click](<javascript:alert(1)>)")]
    [InlineData("![click](javascript:alert(1))")]
    [InlineData("<javascript:alert(1)> click")]
    [InlineData("[click][ref]\n\n[ref]: javascript:alert(1)")]
    public void Render_DangerousLinks_KeepOnlyTheirText(string markdown)
    {
        var html = MarkdownHtml.Render(markdown);
        Assert.DoesNotContain("href", html, StringComparison.Ordinal);
        Assert.Contains("click", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[docs](https://example.org/a?b=1&c=2)", "href=\"https://example.org/a?b=1&amp;c=2\"")]
    [InlineData("[section](#limitations)", "href=\"#limitations\"")]
    [InlineData("[data](data/readme.md)", "href=\"data/readme.md\"")]
    public void Render_SafeLinks_AreKept(string markdown, string expected) =>
        Assert.Contains(expected, MarkdownHtml.Render(markdown), StringComparison.Ordinal);

    [Fact]
    public void Render_CardStructure_BecomesHtml()
    {
        const string Card = """
            # credit-risk v1

            ## Intended use
            Ranks **applications** by *risk*; see `score`.

            - first
            - second

            1. one
            2. two

            | metric | value |
            |---|---|
            | auc | 0.81 |

            ```
            x < y
            ```
            ---
            > quoted
            """;
        var html = MarkdownHtml.Render(Card);
        // Markdig puts each table cell and block on its own line; the structure is what matters.
        var compact = html.Replace(">\n<", "><", StringComparison.Ordinal);
        Assert.Contains("<h1>credit-risk v1</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Intended use</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<p>Ranks <strong>applications</strong> by <em>risk</em>; see <code>score</code>.</p>", html, StringComparison.Ordinal);
        Assert.Contains("<ul>\n<li>first</li>\n<li>second</li>\n</ul>", html, StringComparison.Ordinal);
        Assert.Contains("<ol>\n<li>one</li>", html, StringComparison.Ordinal);
        Assert.Contains("<th>metric</th><th>value</th>", compact, StringComparison.Ordinal);
        Assert.Contains("<td>auc</td><td>0.81</td>", compact, StringComparison.Ordinal);
        Assert.Contains("<pre><code>x &lt; y\n</code></pre>", html, StringComparison.Ordinal);
        Assert.Contains("<hr />", html, StringComparison.Ordinal);
        Assert.Contains("<blockquote><p>quoted</p></blockquote>", compact, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SnakeCaseNames_AreNotItalicised() =>
        Assert.Equal("<p>late_payments_12m and debt_to_income</p>\n", MarkdownHtml.Render("late_payments_12m and debt_to_income"));

    [Fact]
    public void Render_HttpLinks_AreKeptAsLinks()
    {
        var html = MarkdownHtml.Render("See [the data sheet](https://example.org/sheet) and <https://example.org/raw>.");
        Assert.Contains("<a href=\"https://example.org/sheet\">the data sheet</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.org/raw\">https://example.org/raw</a>", html, StringComparison.Ordinal);
    }
}
