using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Escala.Core.Naming;
using Escala.Core.Problems;

namespace Escala.Core.Registry;

/// <summary>
/// Validation of the metadata a version is registered with: metrics are finite numbers by name
/// (so gates can compare them), parameters are scalars kept as text, tags are short text. Keys
/// follow <see cref="ResourceName"/>; sizes are bounded.
/// </summary>
public static class VersionMetadata
{
    /// <summary>The most metrics, parameters or tags one version may carry.</summary>
    public const int MaxEntries = 200;

    /// <summary>The longest parameter or tag value.</summary>
    public const int MaxValueLength = 500;

    /// <summary>Metrics from a JSON object of name to number.</summary>
    public static ImmutableSortedDictionary<string, double> Metrics(JsonElement? json)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries("metrics", json))
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
            {
                throw ProblemTypes.ValidationFailed.With(
                    $"The metric '{key}' must be a finite number; got {Describe(value)}. Put non-numeric results in params or the model card.");
            }

            builder[key] = number;
        }

        return builder.ToImmutable();
    }

    /// <summary>Parameters from a JSON object of name to string, number or boolean (kept as text).</summary>
    public static ImmutableSortedDictionary<string, string> Params(JsonElement? json)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries("params", json))
        {
            var text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => throw ProblemTypes.ValidationFailed.With(
                    $"The parameter '{key}' must be a string, number or boolean; got {Describe(value)}."),
            };
            builder[key] = FreeText.Optional($"parameter '{key}'", text, MaxValueLength) ?? "";
        }

        return builder.ToImmutable();
    }

    /// <summary>Tags from name/value pairs.</summary>
    public static ImmutableSortedDictionary<string, string> Tags(IReadOnlyDictionary<string, string>? tags)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (tags is null)
        {
            return builder.ToImmutable();
        }

        if (tags.Count > MaxEntries)
        {
            throw ProblemTypes.ValidationFailed.With($"A version may carry at most {MaxEntries} tags; got {tags.Count}.");
        }

        foreach (var (key, value) in tags)
        {
            ResourceName.Require("tag", key);
            builder[key] = FreeText.Optional($"tag '{key}'", value, MaxValueLength) ?? "";
        }

        return builder.ToImmutable();
    }

    /// <summary>Parses <c>key=value</c> (the CLI's --tag syntax).</summary>
    public static KeyValuePair<string, string> ParseTag(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw ProblemTypes.ValidationFailed.With($"'{ResourceName.Printable(text)}' is not a tag; write key=value.");
        }

        return new(text[..equals], text[(equals + 1)..]);
    }

    private static List<(string Key, JsonElement Value)> Entries(string field, JsonElement? json)
    {
        var entries = new List<(string, JsonElement)>();
        if (json is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return entries;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw ProblemTypes.ValidationFailed.With($"The {field} must be a JSON object of name to value; got {Describe(element)}.");
        }

        foreach (var property in element.EnumerateObject())
        {
            ResourceName.Require(field == "metrics" ? "metric" : "parameter", property.Name);
            entries.Add((property.Name, property.Value));
            if (entries.Count > MaxEntries)
            {
                throw ProblemTypes.ValidationFailed.With($"The {field} may have at most {MaxEntries} entries.");
            }
        }

        return entries;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => value.GetRawText().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
