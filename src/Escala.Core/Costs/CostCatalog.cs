using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Departments;
using Escala.Core.Naming;
using Escala.Core.Problems;
using Escala.Core.UseCases;

namespace Escala.Core.Costs;

/// <summary>The rules for cost models and budgets: a known scope, non-negative amounts, one currency, audited changes.</summary>
public sealed class CostCatalog(ICostStore store, IUseCaseStore useCases, IDepartmentStore departments, TimeProvider time)
{
    /// <summary>Every cost model.</summary>
    public Task<IReadOnlyList<CostModel>> ModelsAsync(CancellationToken cancellationToken = default) => store.ListModelsAsync(cancellationToken);

    /// <summary>Every budget.</summary>
    public Task<IReadOnlyList<DepartmentBudget>> BudgetsAsync(CancellationToken cancellationToken = default) => store.ListBudgetsAsync(cancellationToken);

    /// <summary>Sets the cost model of the installation (<c>*</c>) or of a use case.</summary>
    public async Task<CostModel> SetModelAsync(Principal caller, CostModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        model = model.Validated();
        if (model.Scope != CostModel.Installation)
        {
            ResourceName.Require("use case", model.Scope);
            if (await useCases.FindAsync(model.Scope, cancellationToken) is null)
            {
                throw ProblemTypes.NotFound.With($"There is no use case '{model.Scope}'; a cost model's scope is * (the installation) or a use case.");
            }
        }

        var existing = await store.ListModelsAsync(cancellationToken);
        var other = existing.FirstOrDefault(m => m.Scope != model.Scope && m.Currency != model.Currency);
        if (other is not null)
        {
            throw ProblemTypes.ValidationFailed.With($"Every cost is in one currency: the model of '{other.Scope}' is in {other.Currency}, not {model.Currency}.");
        }

        var before = existing.FirstOrDefault(m => m.Scope == model.Scope);
        await store.SetModelAsync(model, AuditEntry.Create(time.GetUtcNow(), caller, "cost.model", $"cost/{model.Scope}", before, model), cancellationToken);
        return model;
    }

    /// <summary>Sets a department's monthly budget.</summary>
    public async Task<DepartmentBudget> SetBudgetAsync(Principal caller, string department, decimal monthly, CancellationToken cancellationToken = default)
    {
        ResourceName.Require("department", department);
        var known = await departments.FindAsync(department, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no department '{department}'.");
        if (monthly is < 0 or > 1_000_000_000m)
        {
            throw ProblemTypes.ValidationFailed.With($"A monthly budget must be between 0 and 1,000,000,000; got {monthly}.");
        }

        var before = (await store.ListBudgetsAsync(cancellationToken)).FirstOrDefault(b => b.Department == known.Name);
        var budget = new DepartmentBudget(known.Name, monthly);
        await store.SetBudgetAsync(budget, AuditEntry.Create(time.GetUtcNow(), caller, "cost.budget", $"budget/{known.Name}", before, budget), cancellationToken);
        return budget;
    }
}
