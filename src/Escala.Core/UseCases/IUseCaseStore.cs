using Escala.Core.Audit;

namespace Escala.Core.UseCases;

/// <summary>Where use cases live. Every change appends its audit entry in the same transaction.</summary>
public interface IUseCaseStore
{
    /// <summary>The use case, or null.</summary>
    Task<UseCase?> FindAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>All use cases by name.</summary>
    Task<IReadOnlyList<UseCase>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a use case; false (and nothing written) when the name is taken.</summary>
    Task<bool> TryAddAsync(UseCase useCase, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Replaces a use case's mutable fields.</summary>
    Task UpdateAsync(UseCase useCase, AuditEntry audit, CancellationToken cancellationToken = default);
}
