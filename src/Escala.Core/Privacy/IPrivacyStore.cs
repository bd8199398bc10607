using Escala.Core.Audit;

namespace Escala.Core.Privacy;

/// <summary>An endpoint's stored privacy policy.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Policy">The policy.</param>
/// <param name="UpdatedAt">When it was set.</param>
/// <param name="UpdatedBy">Who set it.</param>
public sealed record StoredPrivacyPolicy(string Endpoint, PrivacyPolicy Policy, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>How many rows a purge or an erasure deleted.</summary>
/// <param name="Predictions">Prediction log lines.</param>
/// <param name="Labels">Ground-truth labels.</param>
public sealed record DeletedRows(int Predictions, int Labels);

/// <summary>Endpoints' privacy policies, and the deletions they call for (each audited with counts, never values).</summary>
public interface IPrivacyStore
{
    /// <summary>Every endpoint's policy.</summary>
    Task<IReadOnlyList<StoredPrivacyPolicy>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores or replaces an endpoint's policy with its audit record.</summary>
    Task SetAsync(StoredPrivacyPolicy policy, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the endpoint's prediction log lines whose subject is one of <paramref name="subjectKeys"/> (the hashed key,
    /// and the raw key for lines logged before a policy existed) and the labels of those requests; appends the audit
    /// record <paramref name="audit"/> makes from the counts, in the same transaction.
    /// </summary>
    Task<DeletedRows> EraseSubjectAsync(string endpoint, IReadOnlyList<string> subjectKeys, Func<DeletedRows, AuditEntry> audit, CancellationToken cancellationToken = default);

    /// <summary>Deletes the endpoint's lines logged before <paramref name="predictionsBefore"/> and labels of predictions before <paramref name="labelsBefore"/>; audited with the counts when anything was deleted.</summary>
    Task<DeletedRows> PurgeAsync(string endpoint, DateTimeOffset? predictionsBefore, DateTimeOffset? labelsBefore, Func<DeletedRows, AuditEntry> audit, CancellationToken cancellationToken = default);
}
