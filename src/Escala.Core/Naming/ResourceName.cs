using Escala.Core.Problems;

namespace Escala.Core.Naming;

/// <summary>
/// The rule for every name that can end up in a URL, a file path or a log line (models, aliases,
/// departments, tag and metric keys, key names): 1 to 64 characters of ASCII letters, digits,
/// '.', '_' and '-', starting with a letter or digit. That excludes path separators, "..",
/// whitespace, control characters and anything that needs escaping.
/// </summary>
public static class ResourceName
{
    /// <summary>The longest accepted name.</summary>
    public const int MaxLength = 64;

    /// <summary>True when <paramref name="value"/> follows the rule.</summary>
    public static bool IsValid(string? value) => Explain(value) is null;

    /// <summary>Returns <paramref name="value"/> when valid; otherwise throws an invalid-name problem naming <paramref name="kind"/>.</summary>
    public static string Require(string kind, string? value)
    {
        var reason = Explain(value);
        if (reason is not null)
        {
            throw ProblemTypes.InvalidName.With(
                $"The {kind} name '{Printable(value)}' is not valid: {reason}. Use 1-{MaxLength} letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        return value!;
    }

    /// <summary>Why the value breaks the rule, or null when it does not.</summary>
    public static string? Explain(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "it is empty";
        }

        if (value.Length > MaxLength)
        {
            return $"it has {value.Length} characters";
        }

        if (!char.IsAsciiLetterOrDigit(value[0]))
        {
            return "it must start with a letter or digit";
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return char.IsControl(c) ? "it contains a control character"
                    : TextSafety.IsUnsafe(c) ? $"it contains U+{(int)c:X4}" : $"it contains '{c}'";
            }
        }

        if (value.Contains("..", StringComparison.Ordinal))
        {
            return "it contains '..'";
        }

        return null;
    }

    /// <summary>The value with control characters escaped and a bounded length, safe to echo in a message.</summary>
    public static string Printable(string? value)
    {
        if (value is null)
        {
            return "";
        }

        var shown = value.Length > 80 ? value[..80] + "..." : value;
        var builder = new System.Text.StringBuilder(shown.Length);
        foreach (var c in shown)
        {
            if (TextSafety.IsUnsafe(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
