namespace Escala.Core.Registry;

/// <summary>Where an approval request is.</summary>
public enum ApprovalStatus
{
    /// <summary>Waiting for a second person.</summary>
    Pending,
    /// <summary>Approved by a different key; the stage change was applied.</summary>
    Approved,
    /// <summary>Rejected; the version kept its stage.</summary>
    Rejected,
}

/// <summary>
/// A request to move a version to a stage that needs four-eyes approval, with who asked and who
/// decided. The requester's key can never decide it.
/// </summary>
public sealed record ApprovalRequest(
    long Id,
    string Model,
    int Version,
    Stage From,
    Stage To,
    string RequestedBy,
    string RequestedByName,
    DateTimeOffset RequestedAt,
    string? Comment,
    ApprovalStatus Status,
    string? DecidedBy,
    string? DecidedByName,
    DateTimeOffset? DecidedAt,
    string? DecisionComment);

/// <summary>A request before the store numbers it.</summary>
public sealed record ApprovalDraft(
    string Model, int Version, Stage From, Stage To, string RequestedBy, string RequestedByName, DateTimeOffset RequestedAt, string? Comment)
{
    /// <summary>The pending request this draft becomes as number <paramref name="id"/>.</summary>
    public ApprovalRequest AsRequest(long id) =>
        new(id, Model, Version, From, To, RequestedBy, RequestedByName, RequestedAt, Comment, ApprovalStatus.Pending, null, null, null, null);
}
