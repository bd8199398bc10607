using Escala.Core.Audit;

namespace Escala.Core.Explanations;

/// <summary>Where versions' explanation backgrounds are kept (one per version; replacing one is audited).</summary>
public interface IExplanationBackgroundStore
{
    /// <summary>The version's background, or null.</summary>
    Task<ExplanationBackground?> FindAsync(string model, int version, CancellationToken cancellationToken = default);

    /// <summary>Stores or replaces a version's background and appends <paramref name="audit"/> in the same transaction.</summary>
    Task SetAsync(ExplanationBackground background, AuditEntry audit, CancellationToken cancellationToken = default);
}
