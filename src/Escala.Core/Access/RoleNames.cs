using Escala.Core.Problems;

namespace Escala.Core.Access;

/// <summary>The lower-case names roles have in the API, the CLI and the database.</summary>
public static class RoleNames
{
    /// <summary>Every role, lowest first.</summary>
    public static IReadOnlyList<Role> All { get; } = [Role.Viewer, Role.Scientist, Role.Approver, Role.Operator, Role.Admin];

    /// <summary>The lower-case name of <paramref name="role"/>.</summary>
    public static string ToName(this Role role) => role switch
    {
        Role.Viewer => "viewer",
        Role.Scientist => "scientist",
        Role.Approver => "approver",
        Role.Operator => "operator",
        Role.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
    };

    /// <summary>Parses a role name (case-insensitive); throws a validation problem listing the valid names.</summary>
    public static Role Parse(string? name) => TryParse(name, out var role)
        ? role
        : throw ProblemTypes.ValidationFailed.With(
            $"'{Naming.ResourceName.Printable(name)}' is not a role; use one of viewer, scientist, approver, operator, admin.");

    /// <summary>Parses a role name (case-insensitive).</summary>
    public static bool TryParse(string? name, out Role role)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToName(), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }
}
