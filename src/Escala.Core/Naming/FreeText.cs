using Escala.Core.Problems;

namespace Escala.Core.Naming;

/// <summary>
/// The rule for human text stored with a resource (descriptions, comments, a champion's name, tag
/// values): bounded length and no control or bidirectional formatting characters, except line breaks and tabs where the
/// field is multi-line.
/// </summary>
public static class FreeText
{
    /// <summary>Returns the trimmed text, null for null or blank; throws a validation problem naming <paramref name="field"/> otherwise.</summary>
    public static string? Optional(string field, string? value, int maxLength, bool multiline = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (text.Length > maxLength)
        {
            throw ProblemTypes.ValidationFailed.With($"The {field} has {text.Length} characters; at most {maxLength} are allowed.");
        }

        if (TextSafety.FirstUnsafe(text, multiline) is { } unsafeChar)
        {
            throw ProblemTypes.ValidationFailed.With(TextSafety.IsBidiControl(unsafeChar)
                ? $"The {field} contains the bidirectional formatting character U+{(int)unsafeChar:X4}, which changes how text around it reads; remove it."
                : $"The {field} contains the control character U+{(int)unsafeChar:X4}; remove it.");
        }

        return text;
    }

    /// <summary>Like <see cref="Optional"/> but a value is required.</summary>
    public static string Required(string field, string? value, int maxLength, bool multiline = false) =>
        Optional(field, value, maxLength, multiline)
        ?? throw ProblemTypes.ValidationFailed.With($"The {field} is required.");
}
