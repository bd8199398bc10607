using System.Globalization;
using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Naming;
using Escala.Core.Problems;

namespace Escala.Core.Registry;

/// <summary>The outcome of asking for a stage change: applied at once, or waiting for approval.</summary>
public sealed record PromotionOutcome(ModelVersion Version, ApprovalRequest? PendingApproval)
{
    /// <summary>True when the change waits for a second person.</summary>
    public bool IsPending => PendingApproval is not null;
}

/// <summary>
/// Stage changes and four-eyes approval. Moving a version to production, when its model requires
/// approval, opens a request that only a different key with the approver role (or above) can
/// approve, and never the key that registered the version; without four-eyes, a direct move to production still needs an approver key. A model
/// has at most one production version: promoting one archives the previous one in the same step.
/// </summary>
public sealed class Promotions(IModelStore models, IPromotionStore store, TimeProvider time)
{
    /// <summary>Asks to move a version to <paramref name="target"/>.</summary>
    public async Task<PromotionOutcome> RequestAsync(
        Principal caller, string model, int version, Stage target, string? comment, CancellationToken cancellationToken = default)
    {
        var (owner, current) = await FindAsync(model, version, cancellationToken);
        ModelRegistry.RequireScope(caller, owner);
        StageTransitions.Require(current.Ref.ToString(), current.Stage, target);
        var note = FreeText.Optional("comment", comment, 2000, multiline: true);
        var now = time.GetUtcNow();

        if (target == Stage.Production && owner.RequireApproval)
        {
            var draft = new ApprovalDraft(model, version, current.Stage, target, caller.KeyId, caller.Name, now, note);
            var request = await store.OpenRequestAsync(
                draft,
                opened => AuditEntry.Create<ApprovalRequest>(now, caller, "approval.request", AuditSubjects.Approval(opened.Id), null, opened),
                cancellationToken);
            return new PromotionOutcome(current, request);
        }

        if (target == Stage.Production && !caller.HasRole(Role.Approver))
        {
            throw ProblemTypes.InsufficientRole.With(
                $"The model '{model}' does not require four-eyes approval, so moving it to production directly needs an approver key or above.");
        }

        var updates = await StepsAsync(current, target, cancellationToken);
        await store.ApplyAsync(new PromotionStep(updates, null, AuditStages(caller, now, updates, note)), cancellationToken);
        return new PromotionOutcome(current with { Stage = target }, null);
    }

    /// <summary>Approves a pending request with a key other than the requester's and applies its stage change.</summary>
    public async Task<(ApprovalRequest Request, ModelVersion Version)> ApproveAsync(
        Principal caller, long id, string? comment, CancellationToken cancellationToken = default)
    {
        var request = await PendingAsync(id, cancellationToken);
        if (string.Equals(request.RequestedBy, caller.KeyId, StringComparison.Ordinal))
        {
            throw ProblemTypes.FourEyes.With(
                $"You requested this promotion of {request.Model}:{request.Version}, so you cannot approve it; a different key with the approver role must.");
        }

        var (owner, current) = await FindAsync(request.Model, request.Version, cancellationToken);
        if (RegisteredBy(current, caller))
        {
            throw ProblemTypes.FourEyes.With(
                $"Your key registered {request.Model}:{request.Version}, so it cannot approve its promotion; a key that neither registered nor requested it must.");
        }

        ModelRegistry.RequireScope(caller, owner);
        if (current.Stage != request.From)
        {
            throw ProblemTypes.Conflict.With(
                $"{current.Ref} moved from {StageTransitions.ToName(request.From)} to {StageTransitions.ToName(current.Stage)} since request {id} was opened; reject it and request again.");
        }

        StageTransitions.Require(current.Ref.ToString(), current.Stage, request.To);
        var note = FreeText.Optional("comment", comment, 2000, multiline: true);
        var now = time.GetUtcNow();
        var decided = request with
        {
            Status = ApprovalStatus.Approved, DecidedBy = caller.KeyId, DecidedByName = caller.Name, DecidedAt = now, DecisionComment = note,
        };
        var updates = await StepsAsync(current, request.To, cancellationToken);
        var audit = new List<AuditEntry> { AuditEntry.Create(now, caller, "approval.approve", AuditSubjects.Approval(id), request, decided) };
        audit.AddRange(AuditStages(caller, now, updates, $"approval {id.ToString(CultureInfo.InvariantCulture)}"));
        var decision = new ApprovalDecision(id, ApprovalStatus.Approved, caller.KeyId, caller.Name, now, note);
        await store.ApplyAsync(new PromotionStep(updates, decision, audit), cancellationToken);
        return (decided, current with { Stage = request.To });
    }

    /// <summary>Rejects a pending request; the version keeps its stage.</summary>
    public async Task<ApprovalRequest> RejectAsync(Principal caller, long id, string? comment, CancellationToken cancellationToken = default)
    {
        var request = await PendingAsync(id, cancellationToken);
        var owner = await models.FindModelAsync(request.Model, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"The model '{request.Model}' no longer exists.");
        ModelRegistry.RequireScope(caller, owner);
        var note = FreeText.Optional("comment", comment, 2000, multiline: true);
        var now = time.GetUtcNow();
        var decided = request with
        {
            Status = ApprovalStatus.Rejected, DecidedBy = caller.KeyId, DecidedByName = caller.Name, DecidedAt = now, DecisionComment = note,
        };
        var decision = new ApprovalDecision(id, ApprovalStatus.Rejected, caller.KeyId, caller.Name, now, note);
        var audit = new[] { AuditEntry.Create(now, caller, "approval.reject", AuditSubjects.Approval(id), request, decided) };
        await store.ApplyAsync(new PromotionStep([], decision, audit), cancellationToken);
        return decided;
    }

    /// <summary>The request; throws not-found.</summary>
    public async Task<ApprovalRequest> GetAsync(long id, CancellationToken cancellationToken = default) =>
        await store.FindRequestAsync(id, cancellationToken)
        ?? throw ProblemTypes.NotFound.With($"There is no approval request {id.ToString(CultureInfo.InvariantCulture)}; `escala approvals list` shows them.");

    /// <summary>Requests, newest first.</summary>
    public Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status, string? model, CancellationToken cancellationToken = default)
    {
        if (model is not null)
        {
            ResourceName.Require("model", model);
        }

        return store.ListRequestsAsync(status, model, cancellationToken);
    }

    // Versions record who registered them as the audit name "name (key id)"; the key id decides.
    private static bool RegisteredBy(ModelVersion version, Principal caller) =>
        version.CreatedBy.EndsWith($"({caller.KeyId})", StringComparison.Ordinal);

    private async Task<ApprovalRequest> PendingAsync(long id, CancellationToken cancellationToken)
    {
        var request = await GetAsync(id, cancellationToken);
        if (request.Status != ApprovalStatus.Pending)
        {
            throw ProblemTypes.Conflict.With(
                $"Approval request {id.ToString(CultureInfo.InvariantCulture)} was already {request.Status.ToString().ToLowerInvariant()} by {request.DecidedByName}.");
        }

        return request;
    }

    private async Task<(Model Owner, ModelVersion Version)> FindAsync(string model, int version, CancellationToken cancellationToken)
    {
        ResourceName.Require("model", model);
        var owner = await models.FindModelAsync(model, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no model '{model}'.");
        var found = await models.FindVersionAsync(model, version, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"The model '{model}' has no version {version.ToString(CultureInfo.InvariantCulture)}.");
        return (owner, found);
    }

    private async Task<List<StageUpdate>> StepsAsync(ModelVersion version, Stage target, CancellationToken cancellationToken)
    {
        var updates = new List<StageUpdate>(2);
        if (target == Stage.Production)
        {
            foreach (var other in await models.ListVersionsAsync(version.Model, cancellationToken))
            {
                if (other.Stage == Stage.Production && other.Version != version.Version)
                {
                    updates.Add(new StageUpdate(other.Model, other.Version, Stage.Production, Stage.Archived));
                }
            }
        }

        updates.Add(new StageUpdate(version.Model, version.Version, version.Stage, target));
        return updates;
    }

    private static List<AuditEntry> AuditStages(Principal caller, DateTimeOffset now, List<StageUpdate> updates, string? reason) =>
        [.. updates.Select(u => AuditEntry.Create(
            now, caller, "stage.change", AuditSubjects.Version(u.Model, u.Version),
            new StageState(StageTransitions.ToName(u.From), null),
            new StageState(StageTransitions.ToName(u.To), reason)))];

    private sealed record StageState(string Stage, string? Reason);
}
