using Escala.Core.Audit;

namespace Escala.Core.Costs;

/// <summary>A department's monthly budget for AI use, in the installation's currency.</summary>
public sealed record DepartmentBudget(string Department, decimal Monthly);

/// <summary>Where cost models and budgets live. Every change appends its audit entry in the same transaction.</summary>
public interface ICostStore
{
    /// <summary>Every cost model (the installation's and per use case).</summary>
    Task<IReadOnlyList<CostModel>> ListModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces the model of its scope.</summary>
    Task SetModelAsync(CostModel model, AuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>Every department budget.</summary>
    Task<IReadOnlyList<DepartmentBudget>> ListBudgetsAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a department's budget.</summary>
    Task SetBudgetAsync(DepartmentBudget budget, AuditEntry audit, CancellationToken cancellationToken = default);
}
