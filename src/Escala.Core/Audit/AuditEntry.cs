using System.Text.Json;
using Escala.Core.Access;

namespace Escala.Core.Audit;

/// <summary>
/// One state change to append to the audit log: who, what (action and subject), when, and the
/// state before and after as JSON (null where there was none). The store seals it into the chain.
/// </summary>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string Subject, string? Before, string? After)
{
    /// <summary>An entry for <paramref name="actor"/> with <paramref name="before"/> and <paramref name="after"/> serialised canonically.</summary>
    public static AuditEntry Create<T>(DateTimeOffset at, Principal actor, string action, string subject, T? before, T? after)
        where T : class =>
        new(at, actor.AuditName, action, subject, ToJson(before), ToJson(after));

    /// <summary>The JSON the audit log stores for a state (camelCase, no indentation), or null.</summary>
    public static string? ToJson<T>(T? state) where T : class =>
        state is null ? null : JsonSerializer.Serialize(state, AuditJson.Options);
}

/// <summary>The serializer settings audit states are written with; changing them changes no stored hash, only new records.</summary>
public static class AuditJson
{
    /// <summary>camelCase, enums as strings, compact.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
