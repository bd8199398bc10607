using Escala.Core.Audit;

namespace Escala.Core.Datasets;

/// <summary>Dataset versions (their bytes are in the artifact store).</summary>
public interface IDatasetStore
{
    /// <summary>Adds the next version of <paramref name="draft"/>'s dataset (its <c>Version</c> is ignored) with the audit record <paramref name="audit"/> makes of it.</summary>
    Task<DatasetVersion> AddAsync(DatasetVersion draft, Func<DatasetVersion, AuditEntry> audit, CancellationToken cancellationToken = default);

    /// <summary>The version, or the latest when <paramref name="version"/> is null; null when absent.</summary>
    Task<DatasetVersion?> FindAsync(string name, int? version, CancellationToken cancellationToken = default);

    /// <summary>Every version of every dataset, by name then version.</summary>
    Task<IReadOnlyList<DatasetVersion>> ListAsync(CancellationToken cancellationToken = default);
}
