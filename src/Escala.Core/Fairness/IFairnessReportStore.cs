using Escala.Core.Audit;

namespace Escala.Core.Fairness;

/// <summary>Where fairness evaluations are kept with their versions (each one audited).</summary>
public interface IFairnessReportStore
{
    /// <summary>Appends an evaluation and <paramref name="audit"/> in one transaction.</summary>
    Task AddAsync(FairnessEvaluation evaluation, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The version's latest evaluation, or null.</summary>
    Task<FairnessEvaluation?> LatestAsync(string model, int version, CancellationToken cancellationToken = default);
}
