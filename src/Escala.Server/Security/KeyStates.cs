using System.Text.Json;
using Escala.Core.Access;
using Escala.Core.Audit;

namespace Escala.Server.Security;

/// <summary>
/// API keys as security state: role, departments and whether revoked, as stored and as the audit log last recorded
/// them (<c>key.*</c> records carry the key's view). The key ring leaves out a key whose stored facts differ.
/// </summary>
public sealed class KeyStates(IApiKeyStore store) : ISecurityState
{
    /// <inheritdoc/>
    public string Kind => "API key";

    /// <inheritdoc/>
    public string SubjectPrefix => "key/";

    /// <inheritdoc/>
    public IReadOnlyList<string> Actions { get; } = ["key.*"];

    /// <summary>The facts of a stored key.</summary>
    public static string Facts(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var view = key.ToView();
        return Facts(view.Role, view.Departments, view.RevokedAt is not null);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<(string Subject, string Facts)>> StoredAsync(CancellationToken cancellationToken = default) =>
        [.. (await store.ListAsync(cancellationToken)).Select(k => (AuditSubjects.Key(k.Id), Facts(k)))];

    /// <inheritdoc/>
    public string? FactsOf(JsonElement after)
    {
        if (after.ValueKind != JsonValueKind.Object || !after.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var departments = after.TryGetProperty("departments", out var d) && d.ValueKind == JsonValueKind.Array
            ? d.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
            : [];
        var revoked = after.TryGetProperty("revokedAt", out var r) && r.ValueKind != JsonValueKind.Null;
        return Facts(role.GetString()!, departments, revoked);
    }

    private static string Facts(string role, IEnumerable<string> departments, bool revoked) =>
        $"role={role} departments=[{string.Join(",", departments.Order(StringComparer.Ordinal))}] revoked={(revoked ? "yes" : "no")}";
}
