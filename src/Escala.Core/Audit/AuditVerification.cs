namespace Escala.Core.Audit;

/// <summary>
/// The outcome of recomputing the audit chain: intact, or the first broken record and why.
/// <see cref="HeadHash"/> is the hash of the last good record. <see cref="Anchor"/> is the signed checkpoint kept
/// outside the database the chain's end was checked against (records cut off the end break it), and
/// <see cref="StateFindings"/> the security state (keys, stages, routes) that no longer matches its last audited state.
/// </summary>
public sealed record AuditVerification(bool IsIntact, long RecordsChecked, AuditRecord? FirstBroken, string? Reason, string HeadHash)
{
    /// <summary>The checkpoint the chain's end was checked against, if any.</summary>
    public AuditCheckpoint? Anchor { get; init; }

    /// <summary>Stored security state that differs from what the audit log last recorded for it (a direct database edit).</summary>
    public IReadOnlyList<string> StateFindings { get; init; } = [];

    /// <summary>One line for people: "intact, N records" or "record N (...) is broken: reason", then any state findings.</summary>
    public string Describe()
    {
        var chain = (Reason is null, FirstBroken) switch
        {
            (true, _) => $"Audit chain intact: {RecordsChecked} records, head {HeadHash[..16]}{(Anchor is null ? "" : $", matches its signed anchor (record {Anchor.Sequence})")}.",
            (false, { } broken) => $"Audit chain broken at record {broken.Sequence} ({broken.Action} {broken.Subject} by {broken.Actor} at {AuditChain.FormatTimestamp(broken.At)}): {Reason}. {RecordsChecked} records before it are intact.",
            (false, null) => $"Audit chain broken: {Reason}. {RecordsChecked} records present are intact.",
        };
        return StateFindings.Count == 0 ? chain : $"{chain} State that differs from its last audited state: {string.Join("; ", StateFindings)}.";
    }
}
