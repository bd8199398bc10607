using System.Text.Json;
using System.Text.Json.Serialization;

namespace Escala.Core.Monitoring.Windows;

/// <summary>JSON for closed windows, so a server can store them, merge the windows of several gateway nodes, or re-run drift later.</summary>
public static class WindowJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },

        // An empty numeric column has min +Infinity and max -Infinity.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Serialises a window.</summary>
    public static string ToJson(WindowSnapshot window) => JsonSerializer.Serialize(window, Options);

    /// <summary>Reads a window written by <see cref="ToJson"/>; throws <see cref="FormatException"/> when it is malformed.</summary>
    public static WindowSnapshot FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        WindowSnapshot? window;
        try
        {
            window = JsonSerializer.Deserialize<WindowSnapshot>(json, Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The window JSON is malformed: {e.Message}", e);
        }

        if (window?.Features is null || window.Features.Any(c => c?.Counts is null || c.Name is null || c.Counts.Any(n => n < 0)))
        {
            throw new FormatException("The window JSON lacks its features, or a column lacks its name or counts, or a count is negative.");
        }

        return window;
    }
}
