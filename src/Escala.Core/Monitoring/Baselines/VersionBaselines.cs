using System.Globalization;
using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Problems;
using Escala.Core.Registry;

namespace Escala.Core.Monitoring.Baselines;

/// <summary>
/// The rules for a version's baseline profile: reading it, and attaching or replacing it after registration
/// (the caller's key must be scoped to the model's department; the change is audited with a summary of the
/// profile before and after, never the whole profile). Whoever stores one rebuilds the version's monitors on it.
/// </summary>
public sealed class VersionBaselines(IBaselineStore store, ModelRegistry registry, TimeProvider time)
{
    /// <summary>The version's baseline; throws not-found for an unknown version and no-baseline when it has none.</summary>
    public async Task<StoredBaseline> GetAsync(string model, string versionOrAlias, CancellationToken cancellationToken = default)
    {
        var version = await registry.GetVersionAsync(model, versionOrAlias, cancellationToken);
        return await store.FindAsync(version.Model, version.Version, cancellationToken)
            ?? throw ProblemTypes.NoBaseline.With(
                $"{version.Ref} has no baseline. Attach one with `escala models baseline {version.Model} {version.Version.ToString(CultureInfo.InvariantCulture)} --csv reference.csv`.");
    }

    /// <summary>The version's baseline, or null (no checks: for monitors).</summary>
    public Task<StoredBaseline?> FindAsync(string model, int version, CancellationToken cancellationToken = default) =>
        store.FindAsync(model, version, cancellationToken);

    /// <summary>Summaries of a model's baselines by version number.</summary>
    public Task<IReadOnlyDictionary<int, BaselineSummary>> SummariesAsync(string model, CancellationToken cancellationToken = default) =>
        store.SummariesAsync(model, cancellationToken);

    /// <summary>Attaches (or replaces) <paramref name="version"/>'s baseline on behalf of <paramref name="caller"/>.</summary>
    public async Task<StoredBaseline> SetAsync(Principal caller, ModelVersion version, BaselineProfile profile, BaselineSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(profile);
        var owner = await registry.GetModelAsync(version.Model, cancellationToken);
        ModelRegistry.RequireScope(caller, owner);
        var before = await store.FindAsync(version.Model, version.Version, cancellationToken);
        var after = new StoredBaseline(version.Model, version.Version, profile, source, time.GetUtcNow(), caller.AuditName);
        var audit = AuditEntry.Create(after.CreatedAt, caller, "baseline.set", AuditSubjects.Version(version.Model, version.Version), before?.Summary(), after.Summary());
        await store.SetAsync(after, audit, cancellationToken);
        return after;
    }
}
