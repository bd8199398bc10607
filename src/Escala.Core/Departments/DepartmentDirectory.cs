using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Naming;
using Escala.Core.Problems;

namespace Escala.Core.Departments;

/// <summary>What a caller sends to create or change a department; null fields stay unchanged on update.</summary>
public sealed record DepartmentChange(string? DisplayName, int? Headcount, string? Champion);

/// <summary>The rules for departments: valid names, a non-negative headcount, audited changes.</summary>
public sealed class DepartmentDirectory(IDepartmentStore store, TimeProvider time)
{
    /// <summary>The largest headcount accepted (a typo guard, far above any real organisation).</summary>
    public const int MaxHeadcount = 10_000_000;

    /// <summary>The department; throws not-found.</summary>
    public async Task<Department> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        ResourceName.Require("department", name);
        return await store.FindAsync(name, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no department '{name}'. Create it with `escala departments create {name}`.");
    }

    /// <summary>All departments.</summary>
    public Task<IReadOnlyList<Department>> ListAsync(CancellationToken cancellationToken = default) => store.ListAsync(cancellationToken);

    /// <summary>Creates a department; throws already-exists when the name is taken.</summary>
    public async Task<Department> CreateAsync(Principal caller, string name, DepartmentChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ResourceName.Require("department", name);
        if (!caller.IsOrganisationWide)
        {
            throw ProblemTypes.DepartmentScope.With("Your key is scoped to departments; only an organisation-wide admin key creates departments.");
        }

        var now = time.GetUtcNow();
        var department = new Department(
            name,
            FreeText.Optional("display name", change.DisplayName, 200),
            CheckHeadcount(change.Headcount ?? 0),
            FreeText.Optional("champion", change.Champion, 200),
            now,
            now);
        var audit = AuditEntry.Create<Department>(now, caller, "department.create", AuditSubjects.Department(name), null, department);
        if (!await store.TryAddAsync(department, audit, cancellationToken))
        {
            throw ProblemTypes.AlreadyExists.With($"The department '{name}' already exists; change it with `escala departments update {name}`.");
        }

        return department;
    }

    /// <summary>Changes the given fields of a department.</summary>
    public async Task<Department> UpdateAsync(Principal caller, string name, DepartmentChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var before = await GetAsync(name, cancellationToken);
        if (!caller.MayActFor(name))
        {
            throw ProblemTypes.DepartmentScope.With($"Your key is not scoped to '{name}', so it cannot change that department.");
        }

        var now = time.GetUtcNow();
        var after = before with
        {
            DisplayName = change.DisplayName is null ? before.DisplayName : FreeText.Optional("display name", change.DisplayName, 200),
            Headcount = change.Headcount is { } headcount ? CheckHeadcount(headcount) : before.Headcount,
            Champion = change.Champion is null ? before.Champion : FreeText.Optional("champion", change.Champion, 200),
            UpdatedAt = now,
        };
        await store.UpdateAsync(after, AuditEntry.Create(now, caller, "department.update", AuditSubjects.Department(name), before, after), cancellationToken);
        return after;
    }

    private static int CheckHeadcount(int headcount) => headcount is >= 0 and <= MaxHeadcount
        ? headcount
        : throw ProblemTypes.ValidationFailed.With($"The headcount must be between 0 and {MaxHeadcount}; got {headcount}.");
}
