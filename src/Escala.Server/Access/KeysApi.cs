using Escala.Core.Access;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Access;

/// <summary>A new API key: a name for the person or application, a role and optional department scope.</summary>
public sealed record CreateKeyRequest(string Name, string Role, string[]? Departments = null);

/// <summary>A created key: its record and the secret, which is shown this once and never again.</summary>
public sealed record CreatedKeyResponse(ApiKeyView Key, string Secret);

/// <summary>Who the caller is: the key's id, name, role and departments, and the department this request is attributed to.</summary>
public sealed record WhoAmIResponse(string KeyId, string Name, string Role, IReadOnlyList<string> Departments, string? Department);

/// <summary>API keys over HTTP: <c>/api/v1/keys</c> and <c>/api/v1/whoami</c>.</summary>
public static class KeysApi
{
    /// <summary>Maps the key routes.</summary>
    public static IEndpointRouteBuilder MapKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/v1/keys").WithTags("Keys");
        keys.MapGet("/", List).RequireRole(Role.Admin)
            .WithName("ListKeys").WithSummary("Every API key (never the secrets).");
        keys.MapPost("/", Create).RequireRole(Role.Admin)
            .WithName("CreateKey").WithSummary("Creates a key; the response holds the secret, shown only this once.");
        keys.MapDelete("/{id}", Revoke).RequireRole(Role.Admin)
            .WithName("RevokeKey").WithSummary("Revokes a key; it stops authenticating at once.");
        app.MapGet("/api/v1/whoami", WhoAmI).RequireRole(Role.Viewer).WithTags("Keys")
            .WithName("WhoAmI").WithSummary("The caller's key (id, name, role, departments) and the department the request is attributed to (X-Escala-Department or the key's only department).");
        return app;
    }

    // A department admin sees the keys of its departments only (the ones it could revoke), never another department's.
    private static async Task<Ok<ApiKeyView[]>> List(HttpContext http, ApiKeyIssuer issuer, CancellationToken ct)
    {
        var caller = http.GetPrincipal();
        return TypedResults.Ok((await issuer.ListAsync(ct))
            .Where(k => caller.IsOrganisationWide || (!k.Departments.IsDefaultOrEmpty && k.Departments.All(caller.MayActFor)))
            .Select(k => k.ToView()).ToArray());
    }

    private static async Task<Created<CreatedKeyResponse>> Create(CreateKeyRequest body, HttpContext http, ApiKeyIssuer issuer, KeyRing ring, CancellationToken ct)
    {
        var issued = await issuer.CreateAsync(http.GetPrincipal(), body.Name, RoleNames.Parse(body.Role), body.Departments ?? [], ct);
        await ring.ReloadAsync(ct);
        return TypedResults.Created($"/api/v1/keys/{issued.Key.Id}", new CreatedKeyResponse(issued.Key.ToView(), issued.Plaintext));
    }

    private static async Task<Ok<ApiKeyView>> Revoke(string id, HttpContext http, ApiKeyIssuer issuer, KeyRing ring, CancellationToken ct)
    {
        var revoked = await issuer.RevokeAsync(http.GetPrincipal(), id, ct);
        await ring.ReloadAsync(CancellationToken.None);
        return TypedResults.Ok(revoked.ToView());
    }

    private static Ok<WhoAmIResponse> WhoAmI(HttpContext http)
    {
        var principal = http.GetPrincipal();
        return TypedResults.Ok(new WhoAmIResponse(principal.KeyId, principal.Name, principal.Role.ToName(), [.. principal.Departments], http.GetDepartment()));
    }
}
