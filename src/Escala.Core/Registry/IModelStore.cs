using Escala.Core.Audit;

namespace Escala.Core.Registry;

/// <summary>A new version to store: its draft, the model to create first when it does not exist yet, and an optional card.</summary>
public sealed record VersionRegistration(VersionDraft Draft, Model? CreateModelIfMissing, string? CardMarkdown)
{
    /// <summary>The version's baseline profile from a reference table, stored in the same transaction (optional).</summary>
    public Monitoring.Baselines.BaselineProfile? Baseline { get; init; }
}

/// <summary>A stored version and whether storing it also created its model.</summary>
public sealed record RegisteredVersion(ModelVersion Version, bool ModelCreated);

/// <summary>
/// Where models, versions, aliases and cards live. Version numbers are assigned by the store
/// (1, 2, 3... per model, inside the write transaction, so concurrent registrations never collide).
/// Every change appends its audit entries in the same transaction.
/// </summary>
public interface IModelStore
{
    /// <summary>The model, or null.</summary>
    Task<Model?> FindModelAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every model with its version counts, by name.</summary>
    Task<IReadOnlyList<ModelSummary>> ListModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces a model's mutable fields (description, department, four-eyes).</summary>
    Task UpdateModelAsync(Model model, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Stores a new version under the next number; <paramref name="audit"/> builds the entries once the number is known.</summary>
    Task<RegisteredVersion> AddVersionAsync(
        VersionRegistration registration, Func<RegisteredVersion, IReadOnlyList<AuditEntry>> audit, CancellationToken cancellationToken = default);

    /// <summary>The version, or null.</summary>
    Task<ModelVersion?> FindVersionAsync(string model, int version, CancellationToken cancellationToken = default);

    /// <summary>A model's versions, lowest number first.</summary>
    Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string model, CancellationToken cancellationToken = default);

    /// <summary>Versions whose lineage matches every field set in <paramref name="query"/>.</summary>
    Task<IReadOnlyList<ModelVersion>> FindByLineageAsync(LineageQuery query, CancellationToken cancellationToken = default);

    /// <summary>A model's aliases by name.</summary>
    Task<IReadOnlyList<ModelAlias>> ListAliasesAsync(string model, CancellationToken cancellationToken = default);

    /// <summary>The alias, or null.</summary>
    Task<ModelAlias?> FindAliasAsync(string model, string alias, CancellationToken cancellationToken = default);

    /// <summary>Points an alias at a version, creating or moving it.</summary>
    Task SetAliasAsync(ModelAlias alias, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Removes an alias; false (nothing written) when it does not exist.</summary>
    Task<bool> RemoveAliasAsync(string model, string alias, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The version's card, or null when none was written.</summary>
    Task<ModelCard?> FindCardAsync(string model, int version, CancellationToken cancellationToken = default);

    /// <summary>Writes or replaces a version's card.</summary>
    Task SetCardAsync(ModelCard card, AuditEntry audit, CancellationToken cancellationToken = default);
}
