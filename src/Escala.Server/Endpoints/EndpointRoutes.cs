using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Escala.Core.Audit;
using Escala.Core.Endpoints;

namespace Escala.Server.Endpoints;

/// <summary>
/// Endpoint routing as security state: which versions answer whom, stored and as the last <c>endpoint.*</c> record
/// (the endpoint after the change) gives it, compared by a digest of the routing table's canonical JSON.
/// </summary>
public sealed class EndpointRoutes(IEndpointStore store) : ISecurityState
{
    /// <inheritdoc/>
    public string Kind => "endpoint";

    /// <inheritdoc/>
    public string SubjectPrefix => "endpoint/";

    /// <inheritdoc/>
    public IReadOnlyList<string> Actions { get; } = ["endpoint.*"];

    /// <inheritdoc/>
    public async Task<IReadOnlyList<(string Subject, string Facts)>> StoredAsync(CancellationToken cancellationToken = default) =>
        [.. (await store.ListAsync(cancellationToken)).Select(e => (AuditSubjects.Endpoint(e.Name), Facts(JsonSerializer.SerializeToElement(e.Routing, AuditJson.Options))))];

    /// <inheritdoc/>
    public string? FactsOf(JsonElement after) =>
        after.ValueKind == JsonValueKind.Object && after.TryGetProperty("routing", out var routing) && routing.ValueKind == JsonValueKind.Object
            ? Facts(routing)
            : null;

    // The routing table re-serialised compactly (so formatting never matters), as a short digest plus the live policy.
    private static string Facts(JsonElement routing)
    {
        var text = JsonSerializer.Serialize(routing);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        var live = routing.TryGetProperty("default", out var policy) && policy.ValueKind == JsonValueKind.Object && policy.TryGetProperty("live", out var l) ? l.ToString() : "-";
        return $"routing={digest} live={live}";
    }
}
