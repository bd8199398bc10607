using Escala.Core.Access;
using Microsoft.AspNetCore.Authorization;

namespace Escala.Server.Security;

/// <summary>
/// A route's minimum role: both the authorization requirement that enforces it and the endpoint
/// metadata that declares it (the route-table test reads it to check every route).
/// </summary>
public sealed class MinimumRole(Role role) : AuthorizationHandler<MinimumRole>, IAuthorizationRequirement
{
    /// <summary>The lowest role allowed.</summary>
    public Role Role { get; } = role;

    /// <inheritdoc/>
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MinimumRole requirement)
    {
        if (context.Resource is Microsoft.AspNetCore.Http.HttpContext http
            && http.Items[typeof(Principal)] is Principal principal
            && principal.HasRole(requirement.Role))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => $"role {Role.ToName()} or above";
}
