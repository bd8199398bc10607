namespace Escala.Core.Audit;

/// <summary>
/// The append-only audit log. Stores that change state append their entries inside their own
/// transaction; this interface is for reading, verifying and for changes no other store owns.
/// </summary>
public interface IAuditLog
{
    /// <summary>Appends one entry at the end of the chain and returns the sealed record.</summary>
    Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Records after <paramref name="afterSequence"/> in order, at most <paramref name="limit"/>, optionally only for subjects starting with <paramref name="subjectPrefix"/>.</summary>
    Task<IReadOnlyList<AuditRecord>> ListAsync(long afterSequence, int limit, string? subjectPrefix = null, CancellationToken cancellationToken = default);

    /// <summary>The last record, or null for an empty log.</summary>
    Task<AuditRecord?> HeadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// For each subject starting with <paramref name="subjectPrefix"/>, its newest record among <paramref name="actions"/>
    /// (names, or patterns ending in <c>*</c> such as <c>endpoint.*</c>) that has an after-state: the state the audit log
    /// last recorded for it.
    /// </summary>
    Task<IReadOnlyDictionary<string, AuditRecord>> LatestStatesAsync(string subjectPrefix, IReadOnlyList<string> actions, CancellationToken cancellationToken = default);

    /// <summary>Every record in sequence order, streamed (for verification).</summary>
    IAsyncEnumerable<AuditRecord> ReadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The newest records first, before <paramref name="beforeSequence"/> (null: from the end), at most
    /// <paramref name="limit"/>, filtered by subject prefix, actor (contains) and action (exact) when given: what a
    /// person browsing the log wants first. The default reads the whole log; stores answer it with an index.
    /// </summary>
    async Task<IReadOnlyList<AuditRecord>> ListNewestAsync(long? beforeSequence, int limit, AuditFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var newest = new List<AuditRecord>();
        await foreach (var record in ReadAllAsync(cancellationToken))
        {
            if ((beforeSequence is null || record.Sequence < beforeSequence) && filter.Matches(record))
            {
                newest.Add(record);
            }
        }

        newest.Reverse();
        return newest.Take(limit).ToList();
    }
}

/// <summary>What to show of the audit log: subject prefix, actor substring, exact action; null or empty matches all.</summary>
public sealed record AuditFilter(string? SubjectPrefix = null, string? Actor = null, string? Action = null)
{
    /// <summary>Whether <paramref name="record"/> passes.</summary>
    public bool Matches(AuditRecord record) =>
        (string.IsNullOrEmpty(SubjectPrefix) || record.Subject.StartsWith(SubjectPrefix, StringComparison.Ordinal))
        && (string.IsNullOrEmpty(Actor) || record.Actor.Contains(Actor, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrEmpty(Action) || string.Equals(record.Action, Action, StringComparison.Ordinal));
}
