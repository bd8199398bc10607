using System.Text.Json;
using Escala.Core.Audit;
using Escala.Core.Registry;

namespace Escala.Server.Registry;

/// <summary>Version stages as security state: the stage stored and the one the last <c>version.register</c> or <c>stage.change</c> record gives.</summary>
public sealed class VersionStages(IModelStore store) : ISecurityState
{
    /// <inheritdoc/>
    public string Kind => "version";

    /// <inheritdoc/>
    public string SubjectPrefix => "model/";

    /// <inheritdoc/>
    public IReadOnlyList<string> Actions { get; } = ["version.register", "stage.change"];

    /// <inheritdoc/>
    public async Task<IReadOnlyList<(string Subject, string Facts)>> StoredAsync(CancellationToken cancellationToken = default)
    {
        var stored = new List<(string, string)>();
        foreach (var model in await store.ListModelsAsync(cancellationToken))
        {
            foreach (var version in await store.ListVersionsAsync(model.Model.Name, cancellationToken))
            {
                stored.Add((AuditSubjects.Version(version.Model, version.Version), $"stage={StageTransitions.ToName(version.Stage)}"));
            }
        }

        return stored;
    }

    /// <inheritdoc/>
    public string? FactsOf(JsonElement after) =>
        after.ValueKind == JsonValueKind.Object && after.TryGetProperty("stage", out var stage) && stage.ValueKind == JsonValueKind.String
            ? $"stage={stage.GetString()!.ToLowerInvariant()}"
            : null;
}
