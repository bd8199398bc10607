namespace Escala.Core.Audit;

/// <summary>
/// The outcome of recomputing the audit chain: intact, or the first broken record and why.
/// <see cref="HeadHash"/> is the hash of the last good record; publishing it elsewhere lets a
/// later check detect records removed from the end, which a chain alone cannot.
/// </summary>
public sealed record AuditVerification(bool IsIntact, long RecordsChecked, AuditRecord? FirstBroken, string? Reason, string HeadHash)
{
    /// <summary>One line for people: "intact, N records" or "record N (...) is broken: reason".</summary>
    public string Describe() => IsIntact
        ? $"Audit chain intact: {RecordsChecked} records, head {HeadHash[..16]}."
        : $"Audit chain broken at record {FirstBroken!.Sequence} ({FirstBroken.Action} {FirstBroken.Subject} by {FirstBroken.Actor} at {AuditChain.FormatTimestamp(FirstBroken.At)}): {Reason}. {RecordsChecked} records before it are intact.";
}
