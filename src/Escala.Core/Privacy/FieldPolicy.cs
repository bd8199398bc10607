using System.Globalization;
using Escala.Core.Problems;

namespace Escala.Core.Privacy;

/// <summary>What happens to a field of a logged request before it is written.</summary>
public enum FieldAction
{
    /// <summary>Written as sent.</summary>
    Keep,

    /// <summary>Not written at all.</summary>
    Drop,

    /// <summary>Only a prefix and a suffix are written, the rest replaced by <c>****</c>.</summary>
    Mask,

    /// <summary>Replaced by a keyed HMAC-SHA256 of the value: equal values give equal hashes, so joins still work, and without the key a value cannot be confirmed by hashing guesses.</summary>
    Hash,
}

/// <summary>A field's policy: <c>keep</c>, <c>drop</c>, <c>hash</c> or <c>mask:PREFIX:SUFFIX</c>.</summary>
/// <param name="Action">The action.</param>
/// <param name="KeepPrefix">Characters kept at the start (mask).</param>
/// <param name="KeepSuffix">Characters kept at the end (mask).</param>
public sealed record FieldPolicy(FieldAction Action, int KeepPrefix = 0, int KeepSuffix = 0)
{
    /// <summary>Parses the text form; throws validation-failed naming the accepted forms.</summary>
    public static FieldPolicy Parse(string field, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().ToLowerInvariant().Split(':');
        switch (parts[0])
        {
            case "keep" when parts.Length == 1: return new(FieldAction.Keep);
            case "drop" when parts.Length == 1: return new(FieldAction.Drop);
            case "hash" when parts.Length == 1: return new(FieldAction.Hash);
            case "mask" when parts.Length is 1 or 3:
                var prefix = parts.Length == 3 ? Count(parts[1]) : 0;
                var suffix = parts.Length == 3 ? Count(parts[2]) : 0;
                if (prefix is >= 0 and <= 64 && suffix is >= 0 and <= 64)
                {
                    return new(FieldAction.Mask, prefix, suffix);
                }

                break;
        }

        throw ProblemTypes.ValidationFailed.With(
            $"The policy '{Naming.ResourceName.Printable(text)}' of field '{Naming.ResourceName.Printable(field)}' is not one of keep, drop, hash, mask or mask:PREFIX:SUFFIX (0-64 characters each).");
    }

    /// <summary>The text form.</summary>
    public override string ToString() => Action switch
    {
        FieldAction.Mask => string.Create(CultureInfo.InvariantCulture, $"mask:{KeepPrefix}:{KeepSuffix}"),
        _ => Action.ToString().ToLowerInvariant(),
    };

    private static int Count(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
}
