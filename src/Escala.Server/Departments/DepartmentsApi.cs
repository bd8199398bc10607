using Escala.Core.Access;
using Escala.Core.Departments;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Departments;

/// <summary>A new department.</summary>
public sealed record CreateDepartmentRequest(string Name, string? DisplayName = null, int? Headcount = null, string? Champion = null);

/// <summary>A change to a department; null fields stay as they are.</summary>
public sealed record UpdateDepartmentRequest(string? DisplayName = null, int? Headcount = null, string? Champion = null);

/// <summary>Departments over HTTP: <c>/api/v1/departments</c>.</summary>
public static class DepartmentsApi
{
    /// <summary>Maps the department routes.</summary>
    public static IEndpointRouteBuilder MapDepartments(this IEndpointRouteBuilder app)
    {
        var departments = app.MapGroup("/api/v1/departments").WithTags("Departments");
        departments.MapGet("/", List).RequireRole(Role.Viewer)
            .WithName("ListDepartments").WithSummary("Every department with its headcount and champion.");
        departments.MapGet("/{name}", Get).RequireRole(Role.Viewer)
            .WithName("GetDepartment").WithSummary("One department.");
        departments.MapPost("/", Create).RequireRole(Role.Admin)
            .WithName("CreateDepartment").WithSummary("Creates a department.");
        departments.MapPatch("/{name}", Update).RequireRole(Role.Admin)
            .WithName("UpdateDepartment").WithSummary("Changes a department's display name, headcount or champion.");
        return app;
    }

    private static async Task<Ok<Department[]>> List(DepartmentDirectory directory, CancellationToken ct) =>
        TypedResults.Ok((await directory.ListAsync(ct)).ToArray());

    private static async Task<Ok<Department>> Get(string name, DepartmentDirectory directory, CancellationToken ct) =>
        TypedResults.Ok(await directory.GetAsync(name, ct));

    private static async Task<Created<Department>> Create(CreateDepartmentRequest body, HttpContext http, DepartmentDirectory directory, KnownDepartments known, CancellationToken ct)
    {
        var created = await directory.CreateAsync(http.GetPrincipal(), body.Name, new DepartmentChange(body.DisplayName, body.Headcount, body.Champion), ct);
        await known.ReloadAsync(CancellationToken.None);
        return TypedResults.Created($"/api/v1/departments/{created.Name}", created);
    }

    private static async Task<Ok<Department>> Update(string name, UpdateDepartmentRequest body, HttpContext http, DepartmentDirectory directory, CancellationToken ct) =>
        TypedResults.Ok(await directory.UpdateAsync(http.GetPrincipal(), name, new DepartmentChange(body.DisplayName, body.Headcount, body.Champion), ct));
}
