using Escala.Core.Audit;

namespace Escala.Core.Departments;

/// <summary>Where departments live. Every change appends its audit entry in the same transaction.</summary>
public interface IDepartmentStore
{
    /// <summary>The department, or null.</summary>
    Task<Department?> FindAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>All departments by name.</summary>
    Task<IReadOnlyList<Department>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a department; false (and nothing written) when the name is taken.</summary>
    Task<bool> TryAddAsync(Department department, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Replaces a department's mutable fields.</summary>
    Task UpdateAsync(Department department, AuditEntry audit, CancellationToken cancellationToken = default);
}
