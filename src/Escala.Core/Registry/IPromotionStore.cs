using Escala.Core.Audit;

namespace Escala.Core.Registry;

/// <summary>One version's stage change, applied only if the version is still in <see cref="From"/>.</summary>
public sealed record StageUpdate(string Model, int Version, Stage From, Stage To);

/// <summary>The decision on a pending approval request.</summary>
public sealed record ApprovalDecision(long RequestId, ApprovalStatus Status, string DecidedBy, string DecidedByName, DateTimeOffset DecidedAt, string? Comment);

/// <summary>Stage changes and an optional approval decision applied together, with their audit entries, all or nothing.</summary>
public sealed record PromotionStep(IReadOnlyList<StageUpdate> Updates, ApprovalDecision? Decision, IReadOnlyList<AuditEntry> Audit);

/// <summary>
/// Where stage changes and approval requests are written. A step is atomic and optimistic: if any
/// version is no longer in its expected stage, or the request is no longer pending, nothing is
/// written and a conflict problem is thrown.
/// </summary>
public interface IPromotionStore
{
    /// <summary>The request, or null.</summary>
    Task<ApprovalRequest?> FindRequestAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Requests, newest first, optionally by status and model.</summary>
    Task<IReadOnlyList<ApprovalRequest>> ListRequestsAsync(ApprovalStatus? status, string? model, CancellationToken cancellationToken = default);

    /// <summary>Opens a pending request; throws a conflict problem when the version already has one pending.</summary>
    Task<ApprovalRequest> OpenRequestAsync(ApprovalDraft draft, Func<ApprovalRequest, AuditEntry> audit, CancellationToken cancellationToken = default);

    /// <summary>Applies the step atomically.</summary>
    Task ApplyAsync(PromotionStep step, CancellationToken cancellationToken = default);
}
