using System.Text.Json;
using System.Text.Json.Serialization;
using Escala.Core.Problems;
using Escala.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace Escala.Server.Monitoring;

/// <summary>
/// The API's JSON settings for monitoring bodies: as <see cref="EscalaJson"/>, but numbers may be <c>"NaN"</c> or
/// <c>"Infinity"</c> (a statistic with no data, an empty window's min), and request bodies refuse unknown fields so
/// a typo in a setting is an error, not a silently ignored default.
/// </summary>
public static class MonitoringJson
{
    /// <summary>For responses.</summary>
    public static JsonSerializerOptions Options { get; } = Create(strict: false);

    /// <summary>For request bodies: unknown fields are refused.</summary>
    public static JsonSerializerOptions Strict { get; } = Create(strict: true);

    /// <summary>Reads a request body as <typeparamref name="T"/>; a validation-failed problem says where the JSON is wrong.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw ProblemTypes.UnsupportedMediaType.With($"Send the {what} as application/json.");
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Strict, cancellationToken)
                ?? throw ProblemTypes.ValidationFailed.With($"The {what} is JSON null; send an object.");
        }
        catch (JsonException e)
        {
            throw ProblemTypes.ValidationFailed.With($"The {what} is not valid: {e.Message}", e);
        }
    }

    private static JsonSerializerOptions Create(bool strict)
    {
        var options = EscalaJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        if (strict)
        {
            options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        }

        return options;
    }
}
