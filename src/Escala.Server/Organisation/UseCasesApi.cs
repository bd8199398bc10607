using Escala.Core.Access;
using Escala.Core.UseCases;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Organisation;

/// <summary>A new use case.</summary>
public sealed record CreateUseCaseRequest(
    string Name, string[] Endpoints, decimal ValuePerPrediction, string ValueUnit, string[]? Departments = null, string? Description = null, string? OwnerDepartment = null);

/// <summary>A change to a use case; null fields stay as they are.</summary>
public sealed record UpdateUseCaseRequest(
    string[]? Endpoints = null, decimal? ValuePerPrediction = null, string? ValueUnit = null, string[]? Departments = null, string? Description = null, string? OwnerDepartment = null);

/// <summary>Use cases over HTTP: <c>/api/v1/usecases</c>.</summary>
public static class UseCasesApi
{
    /// <summary>Maps the use-case routes.</summary>
    public static IEndpointRouteBuilder MapUseCases(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/usecases").WithTags("Organisation");
        group.MapGet("/", async (UseCaseCatalog catalog, CancellationToken ct) => TypedResults.Ok((await catalog.ListAsync(ct)).ToArray()))
            .RequireRole(Role.Viewer).WithName("ListUseCases").WithSummary("Every use case with its endpoints, departments and value per prediction.");
        group.MapGet("/{name}", async (string name, UseCaseCatalog catalog, CancellationToken ct) => TypedResults.Ok(await catalog.GetAsync(name, ct)))
            .RequireRole(Role.Viewer).WithName("GetUseCase").WithSummary("One use case.");
        group.MapPost("/", Create).RequireRole(Role.Operator).WithName("CreateUseCase").WithSummary("Creates a use case.");
        group.MapPatch("/{name}", Update).RequireRole(Role.Operator).WithName("UpdateUseCase").WithSummary("Changes a use case.");
        return app;
    }

    private static async Task<Created<UseCase>> Create(CreateUseCaseRequest body, HttpContext http, UseCaseCatalog catalog, CancellationToken ct)
    {
        var created = await catalog.CreateAsync(http.GetPrincipal(), body.Name,
            new UseCaseChange(body.Description, body.OwnerDepartment, body.Endpoints ?? [], body.Departments ?? [], body.ValuePerPrediction, body.ValueUnit), ct);
        return TypedResults.Created($"/api/v1/usecases/{created.Name}", created);
    }

    private static async Task<Ok<UseCase>> Update(string name, UpdateUseCaseRequest body, HttpContext http, UseCaseCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.UpdateAsync(http.GetPrincipal(), name,
            new UseCaseChange(body.Description, body.OwnerDepartment, body.Endpoints, body.Departments, body.ValuePerPrediction, body.ValueUnit), ct));
}
