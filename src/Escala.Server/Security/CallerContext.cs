using Escala.Core.Access;
using Escala.Core.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Escala.Server.Security;

/// <summary>What an endpoint knows about its caller.</summary>
public static class CallerContext
{
    /// <summary>The header a key may use to attribute a request to one of its departments.</summary>
    public const string DepartmentHeader = "X-Escala-Department";

    /// <summary>The authenticated caller. Only valid on routes that require a role.</summary>
    public static Principal GetPrincipal(this HttpContext context) =>
        context.Items[typeof(Principal)] as Principal
        ?? throw new InvalidOperationException("This route has no authenticated caller; declare RequireRole on it.");

    /// <summary>
    /// The department the request is attributed to: the <c>X-Escala-Department</c> header when the key
    /// may use it, else the key's only department, else none. Only a key granted a department may name it:
    /// one scoped to it, or an organisation-wide key of the operator role or above (it runs every department's
    /// endpoints anyway); organisation-wide viewers, scientists and approvers may not, so an application cannot
    /// pass as a department it does not belong to. The department must exist: attributions (prediction log,
    /// metric labels, department routes) only ever name real departments, so their number stays bounded.
    /// Anything else is refused with a department-scope problem.
    /// </summary>
    public static string? GetDepartment(this HttpContext context)
    {
        var principal = context.GetPrincipal();
        var requested = context.Request.Headers[DepartmentHeader].ToString();
        if (requested.Length == 0)
        {
            return principal.DefaultDepartment;
        }

        var shown = Core.Naming.ResourceName.Printable(requested);
        if (!principal.IsOrganisationWide)
        {
            return principal.TrySelectDepartment(requested, out var department)
                ? department
                : throw ProblemTypes.DepartmentScope.With($"Your key is not scoped to the department '{shown}' named in {DepartmentHeader}.");
        }

        if (!principal.HasRole(Role.Operator))
        {
            throw ProblemTypes.DepartmentScope.With(
                $"Your organisation-wide {principal.Role.ToName()} key is not granted any department, so it cannot name '{shown}' in {DepartmentHeader}; "
                + "use a key scoped to that department.");
        }

        var known = context.RequestServices.GetRequiredService<KnownDepartments>();
        return known.Exists(requested)
            ? requested
            : throw ProblemTypes.DepartmentScope.With($"There is no department '{shown}' (named in {DepartmentHeader}).");
    }
}
