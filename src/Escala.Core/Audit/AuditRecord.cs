namespace Escala.Core.Audit;

/// <summary>
/// A sealed audit record: the entry, its position in the log, the hash of the record before it and
/// its own hash over all of that. Changing any field, deleting or reordering records breaks the chain.
/// </summary>
public sealed record AuditRecord(
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string Action,
    string Subject,
    string? Before,
    string? After,
    string PreviousHash,
    string Hash);
