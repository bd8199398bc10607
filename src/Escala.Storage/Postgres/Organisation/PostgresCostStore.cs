using System.Globalization;
using Escala.Core.Audit;
using Escala.Core.Costs;

namespace Escala.Storage.Postgres;

/// <summary>(PostgreSQL) Cost models in <c>cost_models</c> and budgets in <c>department_budgets</c>.</summary>
public sealed class PostgresCostStore(PostgresDatabase database) : ICostStore
{
    /// <inheritdoc/>
    public Task<IReadOnlyList<CostModel>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<CostModel>>(async connection =>
            await connection.ListAsync("SELECT model FROM cost_models ORDER BY scope;", r => r.ReadJson<CostModel>(0)), cancellationToken);

    /// <inheritdoc/>
    public Task SetModelAsync(CostModel model, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            await write.ExecuteAsync(
                "INSERT INTO cost_models (scope, model, updated_at) VALUES (@scope, @model, @at) ON CONFLICT (scope) DO UPDATE SET model = excluded.model, updated_at = excluded.updated_at;",
                ("@scope", model.Scope), ("@model", PostgresValues.Json(model)), ("@at", PostgresValues.Timestamp(audit.At)));
            await write.AppendAuditAsync(audit);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<DepartmentBudget>> ListBudgetsAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<DepartmentBudget>>(async connection => await connection.ListAsync(
            "SELECT department, monthly FROM department_budgets ORDER BY department;",
            r => new DepartmentBudget(r.GetString(0), decimal.Parse(r.GetString(1), NumberStyles.Number, CultureInfo.InvariantCulture))), cancellationToken);

    /// <inheritdoc/>
    public Task SetBudgetAsync(DepartmentBudget budget, AuditEntry audit, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async write =>
        {
            await write.ExecuteAsync(
                "INSERT INTO department_budgets (department, monthly, updated_at) VALUES (@department, @monthly, @at) " +
                "ON CONFLICT (department) DO UPDATE SET monthly = excluded.monthly, updated_at = excluded.updated_at;",
                ("@department", budget.Department), ("@monthly", budget.Monthly.ToString(CultureInfo.InvariantCulture)), ("@at", PostgresValues.Timestamp(audit.At)));
            await write.AppendAuditAsync(audit);
        }, cancellationToken);
}
