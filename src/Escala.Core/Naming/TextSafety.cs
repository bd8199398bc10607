using System.Globalization;
using System.Text;

namespace Escala.Core.Naming;

/// <summary>
/// Characters that change how text is displayed rather than what it says: C0/C1 control characters
/// (an escape byte reaches an operator's terminal as a command) and Unicode bidirectional formatting
/// characters (a right-to-left override makes <c>exe.txt</c> read as <c>txt.exe</c>). Stored text
/// refuses them (<see cref="FreeText"/>, <see cref="ResourceName"/>); everything shown to a person
/// (CLI output, HTML pages, problem details) passes through <see cref="Neutralise"/>, so text that
/// reached storage before these rules, or from elsewhere, is still shown inert.
/// </summary>
public static class TextSafety
{
    /// <summary>True for a control character or a bidirectional formatting character.</summary>
    public static bool IsUnsafe(char c) =>
        char.IsControl(c) || IsBidiControl(c);

    /// <summary>True for the Unicode bidirectional formatting characters (ALM, LRM, RLM, LRE..RLO, LRI..PDI).</summary>
    public static bool IsBidiControl(char c) =>
        c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>The first unsafe character of <paramref name="text"/> (line breaks and tabs allowed when <paramref name="multiline"/>), or null.</summary>
    public static char? FirstUnsafe(ReadOnlySpan<char> text, bool multiline = false)
    {
        foreach (var c in text)
        {
            if (IsUnsafe(c) && !(multiline && c is '\n' or '\r' or '\t'))
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>
    /// <paramref name="text"/> with every unsafe character written as a visible <c>\uXXXX</c> escape (line
    /// breaks and tabs kept when <paramref name="keepLineBreaks"/>). Returns the same instance when nothing changes.
    /// </summary>
    public static string Neutralise(string text, bool keepLineBreaks = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (FirstUnsafe(text, keepLineBreaks) is null)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (IsUnsafe(c) && !(keepLineBreaks && c is '\n' or '\t'))
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
