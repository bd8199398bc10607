using System.Text.Json;
using System.Text.Json.Serialization;

namespace Escala.Server.Hosting;

/// <summary>The JSON shape of the whole API (camelCase, enums as camelCase strings); the CLI reads responses with the same settings.</summary>
public static class EscalaJson
{
    /// <summary>Applies the API's settings to <paramref name="options"/>.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.NumberHandling = JsonNumberHandling.Strict;

        // {"role":"viewer","role":"admin"} must not quietly become an admin key: a repeated property is refused
        // (case-insensitively, as properties are matched), never "last one wins".
        options.AllowDuplicateProperties = false;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }

    /// <summary>A ready instance for clients (the CLI) and tests.</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
}
