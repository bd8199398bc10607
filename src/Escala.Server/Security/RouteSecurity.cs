using Escala.Core.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;

namespace Escala.Server.Security;

/// <summary>
/// How a route declares who may call it. Every route must say either <c>RequireRole(Role.X)</c> or
/// <c>AllowAnonymous()</c>; the route-table test fails for a route that says neither, and the
/// fallback policy refuses unauthenticated calls to it anyway (secure by default).
/// </summary>
public static class RouteSecurity
{
    /// <summary>Only keys with <paramref name="minimum"/> or a higher role may call the route(s).</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, Role minimum) where TBuilder : IEndpointConventionBuilder
    {
        var requirement = new MinimumRole(minimum);
        var policy = new AuthorizationPolicyBuilder(ApiKeyAuthentication.SchemeName)
            .RequireAuthenticatedUser()
            .AddRequirements(requirement)
            .Build();
        return builder.RequireAuthorization(policy).WithMetadata(requirement);
    }
}
