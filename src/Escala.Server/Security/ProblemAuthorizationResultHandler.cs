using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Server.Problems;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Escala.Server.Security;

/// <summary>
/// Answers refused requests with problem details instead of bare status codes: 401 unauthenticated
/// (no key, or a bad one, and why) and 403 insufficient-role naming the role the route needs.
/// </summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    /// <inheritdoc/>
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        // Dashboard pages answer people in a browser: a sign-in redirect or a page saying why, not problem JSON.
        if (context.GetEndpoint()?.Metadata.GetMetadata<Dashboard.DashboardRoute>() is not null && !authorizeResult.Succeeded)
        {
            await Dashboard.Sessions.DashboardRefusals.WriteAsync(context, authorizeResult);
            return;
        }

        if (authorizeResult.Challenged)
        {
            var failure = context.Items[ApiKeyAuthentication.FailureItem] as string;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ProblemResponses.WriteAsync(context, ProblemTypes.Unauthenticated,
                failure ?? $"Send an API key as 'Authorization: Bearer <key>' or '{ApiKeyAuthentication.HeaderName}: <key>'.");
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var needed = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<MinimumRole>().Select(r => r.Role).DefaultIfEmpty().Max();
            var caller = context.Items[typeof(Principal)] as Principal;
            var detail = needed is { } role and not 0 && caller is not null
                ? $"This needs the {role.ToName()} role or above; the key '{caller.Name}' has the {caller.Role.ToName()} role."
                : "Your API key is not allowed to do this.";
            await ProblemResponses.WriteAsync(context, ProblemTypes.InsufficientRole, detail);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
