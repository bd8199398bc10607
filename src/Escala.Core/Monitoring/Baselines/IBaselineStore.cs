using Escala.Core.Audit;

namespace Escala.Core.Monitoring.Baselines;

/// <summary>Where versions' baseline profiles are kept (one per version; replacing one is audited).</summary>
public interface IBaselineStore
{
    /// <summary>The version's baseline, or null.</summary>
    Task<StoredBaseline?> FindAsync(string model, int version, CancellationToken cancellationToken = default);

    /// <summary>Summaries of the baselines of a model's versions, by version number.</summary>
    Task<IReadOnlyDictionary<int, BaselineSummary>> SummariesAsync(string model, CancellationToken cancellationToken = default);

    /// <summary>Stores or replaces a version's baseline and appends <paramref name="audit"/> in the same transaction.</summary>
    Task SetAsync(StoredBaseline baseline, AuditEntry audit, CancellationToken cancellationToken = default);
}
