using System.Collections.Immutable;

namespace Escala.Core.Access;

/// <summary>
/// The caller behind a request: the API key's id and name, its role and the departments it is
/// scoped to (empty means organisation-wide). Every state change records it in the audit log.
/// </summary>
public sealed record Principal(string KeyId, string Name, Role Role, ImmutableArray<string> Departments)
{
    /// <summary>The server itself, for changes nobody requested (the bootstrap key).</summary>
    public static Principal System { get; } = new("system", "system", Role.Admin, []);

    /// <summary>True when the key is not limited to departments.</summary>
    public bool IsOrganisationWide => Departments.IsDefaultOrEmpty;

    /// <summary>The department requests are attributed to when the caller names none: the key's only department, else none.</summary>
    public string? DefaultDepartment => Departments.Length == 1 ? Departments[0] : null;

    /// <summary>How the caller appears in the audit log.</summary>
    public string AuditName => $"{Name} ({KeyId})";

    /// <summary>True when the role is at least <paramref name="minimum"/>.</summary>
    public bool HasRole(Role minimum) => Role >= minimum;

    /// <summary>
    /// True when the key may act on a resource owned by <paramref name="department"/>: organisation-wide
    /// keys act on everything; department keys only on their departments (never on organisation-wide resources).
    /// </summary>
    public bool MayActFor(string? department) =>
        IsOrganisationWide || (department is not null && Departments.Contains(department, StringComparer.Ordinal));

    /// <summary>
    /// The department a request is attributed to: <paramref name="requested"/> (e.g. a header) when the
    /// key may act for it, else the default. False when the key may not use the requested department.
    /// </summary>
    public bool TrySelectDepartment(string? requested, out string? department)
    {
        if (string.IsNullOrEmpty(requested))
        {
            department = DefaultDepartment;
            return true;
        }

        department = MayActFor(requested) ? requested : null;
        return department is not null;
    }
}
