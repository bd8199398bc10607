using System.Text.RegularExpressions;

namespace Escala.Server.Problems;

/// <summary>
/// What a problem detail may show a caller: no internal .NET type names (framework and parser messages name the
/// bound type, e.g. "could not be converted to Escala.Server.Endpoints.DeployRequest") and no control characters.
/// Every problem written passes through it.
/// </summary>
public static partial class PublicDetail
{
    /// <summary><paramref name="detail"/> with namespace-qualified type names replaced and unsafe characters escaped.</summary>
    public static string Of(string? detail)
    {
        if (string.IsNullOrEmpty(detail))
        {
            return detail ?? "";
        }

        var text = ConvertedTo().Replace(detail, "converted to the expected type.");
        text = Parameter().Replace(text, "\"${name}\"");
        text = QualifiedName().Replace(text, "a value");
        return Core.Naming.TextSafety.Neutralise(text);
    }

    // "could not be converted to Some.Type[]. Path: ..." (System.Text.Json).
    [GeneratedRegex(@"converted to [^\s]+?\.(?=\s|$)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ConvertedTo();

    // Parameter "DeployRequest body" / "Nullable<int> limit" (minimal API binding): keep the parameter's name.
    [GeneratedRegex("\"[A-Za-z0-9_.<>`,\\[\\] ?]+ (?<name>[A-Za-z_][A-Za-z0-9_]*)\"", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Parameter();

    // Anything still naming a framework or Escala type.
    [GeneratedRegex(@"\b(?:System|Microsoft|Escala)(?:\.[A-Za-z0-9_`]+)+(?:\[[^\]]*\])*", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex QualifiedName();
}
