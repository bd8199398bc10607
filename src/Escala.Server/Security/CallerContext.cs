using Escala.Core.Access;
using Escala.Core.Problems;
using Microsoft.AspNetCore.Http;

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
    /// may use it, else the key's only department, else none. A header naming a department outside the
    /// key's scope is refused with a department-scope problem.
    /// </summary>
    public static string? GetDepartment(this HttpContext context)
    {
        var principal = context.GetPrincipal();
        var requested = context.Request.Headers[DepartmentHeader].ToString();
        if (!principal.TrySelectDepartment(requested.Length == 0 ? null : requested, out var department))
        {
            throw ProblemTypes.DepartmentScope.With(
                $"Your key is not scoped to the department '{Core.Naming.ResourceName.Printable(requested)}' named in {DepartmentHeader}.");
        }

        return department;
    }
}
