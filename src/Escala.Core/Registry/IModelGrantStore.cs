using Escala.Core.Audit;

namespace Escala.Core.Registry;

/// <summary>A model's department letting another department serve it.</summary>
public sealed record ModelGrant(string Model, string Department, DateTimeOffset GrantedAt, string GrantedBy);

/// <summary>Stored model grants; every change is written with its audit record in one transaction.</summary>
public interface IModelGrantStore
{
    /// <summary>True when <paramref name="model"/> is granted to <paramref name="department"/>.</summary>
    Task<bool> IsGrantedAsync(string model, string department, CancellationToken cancellationToken = default);

    /// <summary>The model's grants, by department.</summary>
    Task<IReadOnlyList<ModelGrant>> ListAsync(string model, CancellationToken cancellationToken = default);

    /// <summary>Adds a grant; false when it already exists (nothing written).</summary>
    Task<bool> TryAddAsync(ModelGrant grant, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Removes a grant; false when there was none (nothing written).</summary>
    Task<bool> TryRemoveAsync(string model, string department, AuditEntry audit, CancellationToken cancellationToken = default);
}
