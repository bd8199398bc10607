using System.Net;

namespace Escala.Core.Naming;

/// <summary>HTML text for the pages Escala renders (cards, drift reports, status): encoded, with unsafe characters made visible.</summary>
public static class SafeHtml
{
    /// <summary><paramref name="text"/> HTML-encoded after <see cref="TextSafety.Neutralise"/> (line breaks and tabs kept).</summary>
    public static string Encode(string? text) =>
        text is null ? "" : WebUtility.HtmlEncode(TextSafety.Neutralise(text, keepLineBreaks: true));
}
