using System.Collections.Immutable;
using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Departments;
using Escala.Core.Endpoints;
using Escala.Core.Naming;
using Escala.Core.Problems;

namespace Escala.Core.UseCases;

/// <summary>The rules for use cases: existing endpoints and departments, a non-negative value with a unit, audited changes.</summary>
public sealed class UseCaseCatalog(IUseCaseStore store, IEndpointStore endpoints, IDepartmentStore departments, TimeProvider time)
{
    /// <summary>The largest value per prediction accepted (a typo guard).</summary>
    public const decimal MaxValue = 1_000_000m;

    /// <summary>The use case; throws not-found.</summary>
    public async Task<UseCase> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        ResourceName.Require("use case", name);
        return await store.FindAsync(name, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no use case '{name}'. Create it with `escala usecases create {name} --endpoint E --value AMOUNT --unit UNIT`.");
    }

    /// <summary>All use cases.</summary>
    public Task<IReadOnlyList<UseCase>> ListAsync(CancellationToken cancellationToken = default) => store.ListAsync(cancellationToken);

    /// <summary>Creates a use case; throws already-exists when the name is taken.</summary>
    public async Task<UseCase> CreateAsync(Principal caller, string name, UseCaseChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ResourceName.Require("use case", name);
        var now = time.GetUtcNow();
        var useCase = new UseCase(name, null, null, [], [], 0, "", now, now);
        useCase = await ApplyAsync(useCase, change with { ValueUnit = change.ValueUnit ?? "" }, cancellationToken);
        if (useCase.Endpoints.IsEmpty)
        {
            throw ProblemTypes.ValidationFailed.With("A use case needs at least one endpoint that serves it (--endpoint E).");
        }

        var audit = AuditEntry.Create<UseCase>(now, caller, "usecase.create", Subject(name), null, useCase);
        if (!await store.TryAddAsync(useCase, audit, cancellationToken))
        {
            throw ProblemTypes.AlreadyExists.With($"The use case '{name}' already exists; change it with `escala usecases update {name}`.");
        }

        return useCase;
    }

    /// <summary>Changes the given fields of a use case.</summary>
    public async Task<UseCase> UpdateAsync(Principal caller, string name, UseCaseChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var before = await GetAsync(name, cancellationToken);
        var after = await ApplyAsync(before, change, cancellationToken) with { UpdatedAt = time.GetUtcNow() };
        if (after.Endpoints.IsEmpty)
        {
            throw ProblemTypes.ValidationFailed.With("A use case needs at least one endpoint that serves it.");
        }

        await store.UpdateAsync(after, AuditEntry.Create(after.UpdatedAt, caller, "usecase.update", Subject(name), before, after), cancellationToken);
        return after;
    }

    /// <summary><c>usecase/{name}</c>.</summary>
    public static string Subject(string name) => $"usecase/{name}";

    private async Task<UseCase> ApplyAsync(UseCase current, UseCaseChange change, CancellationToken cancellationToken)
    {
        var result = current with
        {
            Description = change.Description is null ? current.Description : FreeText.Optional("description", change.Description, 500),
            ValueUnit = change.ValueUnit is null ? current.ValueUnit : FreeText.Required("value unit", change.ValueUnit, 40),
        };
        if (change.ValuePerPrediction is { } value)
        {
            if (value is < 0 or > MaxValue)
            {
                throw ProblemTypes.ValidationFailed.With($"The value per prediction must be between 0 and {MaxValue}; got {value}.");
            }

            result = result with { ValuePerPrediction = value };
        }

        if (change.OwnerDepartment is { } owner)
        {
            result = result with { OwnerDepartment = owner.Length == 0 ? null : await RequireDepartmentAsync(owner, cancellationToken) };
        }

        if (change.Endpoints is { } names)
        {
            var list = ImmutableArray.CreateBuilder<string>();
            foreach (var endpoint in names)
            {
                ResourceName.Require("endpoint", endpoint);
                if (await endpoints.FindAsync(endpoint, cancellationToken) is null)
                {
                    throw ProblemTypes.NotFound.With($"There is no endpoint '{endpoint}'. Create it with `escala endpoints create {endpoint}`.");
                }

                if (list.Contains(endpoint))
                {
                    throw ProblemTypes.ValidationFailed.With($"The endpoint '{endpoint}' is listed twice.");
                }

                list.Add(endpoint);
            }

            result = result with { Endpoints = list.ToImmutable() };
        }

        if (change.Departments is { } departmentNames)
        {
            var list = ImmutableArray.CreateBuilder<string>();
            foreach (var department in departmentNames)
            {
                var name = await RequireDepartmentAsync(department, cancellationToken);
                if (list.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    throw ProblemTypes.ValidationFailed.With($"The department '{name}' is listed twice.");
                }

                list.Add(name);
            }

            result = result with { Departments = list.ToImmutable() };
        }

        return result;
    }

    private async Task<string> RequireDepartmentAsync(string department, CancellationToken cancellationToken)
    {
        ResourceName.Require("department", department);
        return (await departments.FindAsync(department, cancellationToken))?.Name
            ?? throw ProblemTypes.NotFound.With($"There is no department '{department}'. Create it with `escala departments create {department}`.");
    }
}
