using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Departments;
using Escala.Core.Naming;
using Escala.Core.Problems;

namespace Escala.Core.Registry;

/// <summary>
/// Who may serve a department's model. A model belongs to its department: a key scoped to other
/// departments may not put it into service on their endpoints unless the owning department granted
/// it to them. The grant is given (and withdrawn) by an approver of the owning department;
/// organisation-wide models are everyone's and need none.
/// </summary>
public sealed class ModelGrants(IModelStore models, IModelGrantStore store, IDepartmentStore departments, TimeProvider time)
{
    /// <summary>The model's grants.</summary>
    public async Task<IReadOnlyList<ModelGrant>> ListAsync(string model, CancellationToken cancellationToken = default)
    {
        await ModelAsync(model, cancellationToken);
        return await store.ListAsync(model, cancellationToken);
    }

    /// <summary>Lets <paramref name="department"/> serve <paramref name="model"/>.</summary>
    public async Task<ModelGrant> GrantAsync(Principal caller, string model, string department, CancellationToken cancellationToken = default)
    {
        var owner = await OwnedAsync(caller, model, department, cancellationToken);
        var now = time.GetUtcNow();
        var grant = new ModelGrant(owner.Name, department, now, caller.AuditName);
        var audit = AuditEntry.Create<ModelGrant>(now, caller, "model.grant", AuditSubjects.Grant(owner.Name, department), null, grant);
        if (!await store.TryAddAsync(grant, audit, cancellationToken))
        {
            throw ProblemTypes.AlreadyExists.With($"The model '{model}' is already granted to '{department}'.");
        }

        return grant;
    }

    /// <summary>Withdraws a grant; versions already serving keep serving until they are changed.</summary>
    public async Task RevokeAsync(Principal caller, string model, string department, CancellationToken cancellationToken = default)
    {
        var owner = await OwnedAsync(caller, model, department, cancellationToken);
        var now = time.GetUtcNow();
        var audit = AuditEntry.Create<ModelGrant>(now, caller, "model.grant.revoke", AuditSubjects.Grant(owner.Name, department), null, null);
        if (!await store.TryRemoveAsync(owner.Name, department, audit, cancellationToken))
        {
            throw ProblemTypes.NotFound.With($"The model '{model}' is not granted to '{department}'.");
        }
    }

    /// <summary>
    /// Throws department-scope unless <paramref name="caller"/> may serve <paramref name="model"/> on an endpoint
    /// owned by <paramref name="endpointDepartment"/>: the model is organisation-wide, the key may act for the
    /// model's department, or the model is granted to the endpoint's department.
    /// </summary>
    public async Task RequireServeAsync(Principal caller, string model, string? endpointDepartment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var owner = await ModelAsync(model, cancellationToken);
        if (owner.Department is null || caller.MayActFor(owner.Department)
            || (endpointDepartment is not null && await store.IsGrantedAsync(owner.Name, endpointDepartment, cancellationToken)))
        {
            return;
        }

        throw ProblemTypes.DepartmentScope.With(
            $"The model '{owner.Name}' belongs to '{owner.Department}', which your key is not scoped to, and it is not granted to "
            + $"'{endpointDepartment ?? "the organisation"}'; an approver of '{owner.Department}' can grant it "
            + $"(`PUT /api/v1/models/{owner.Name}/grants/{endpointDepartment ?? "DEPARTMENT"}`).");
    }

    private async Task<Model> OwnedAsync(Principal caller, string model, string department, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var owner = await ModelAsync(model, cancellationToken);
        ResourceName.Require("department", department);
        if (await departments.FindAsync(department, cancellationToken) is null)
        {
            throw ProblemTypes.NotFound.With($"There is no department '{department}'.");
        }

        if (owner.Department is null)
        {
            throw ProblemTypes.ValidationFailed.With($"The model '{model}' belongs to the whole organisation; every department may serve it without a grant.");
        }

        if (owner.Department == department)
        {
            throw ProblemTypes.ValidationFailed.With($"The model '{model}' belongs to '{department}' already.");
        }

        ModelRegistry.RequireScope(caller, owner);
        return owner;
    }

    private async Task<Model> ModelAsync(string model, CancellationToken cancellationToken)
    {
        ResourceName.Require("model", model);
        return await models.FindModelAsync(model, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no model '{model}'.");
    }
}
