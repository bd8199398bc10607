using Escala.Core.Access;
using Escala.Core.Rollouts;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Organisation;

/// <summary>A new rollout plan.</summary>
public sealed record CreateRolloutRequest(string Name, string UseCase, string Endpoint, string Version, string[] Waves, string? Soak = null, string[]? Gates = null, bool Auto = false);

/// <summary>A readiness item to tick (or untick with <see cref="Undo"/>).</summary>
public sealed record ChecklistRequest(string Department, string Item, string? Note = null, bool Undo = false);

/// <summary>An advance, optionally overriding failing gates (admin only) with a reason.</summary>
public sealed record AdvanceRequest(string? Override = null);

/// <summary>A plan with its next wave's gates, measured now.</summary>
public sealed record RolloutView(RolloutPlan Plan, WaveGateReport Gates);

/// <summary>The result of an advance or rollback.</summary>
public sealed record RolloutStepView(RolloutPlan Plan, string Message, WaveGateReport? Gates);

/// <summary>Rollout plans over HTTP: <c>/api/v1/rollouts</c>.</summary>
public static class RolloutsApi
{
    /// <summary>Maps the rollout routes.</summary>
    public static IEndpointRouteBuilder MapRollouts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/rollouts").WithTags("Organisation");
        group.MapGet("/", async (RolloutCatalog catalog, CancellationToken ct) => TypedResults.Ok((await catalog.ListAsync(ct)).ToArray()))
            .RequireRole(Role.Viewer).WithName("ListRollouts").WithSummary("Every rollout plan.");
        group.MapGet("/{name}", Show).RequireRole(Role.Viewer).WithName("GetRollout").WithSummary("A plan with every gate of its next wave: measured value, threshold, verdict.");
        group.MapPost("/", Create).RequireRole(Role.Operator).WithName("CreateRollout").WithSummary("Creates a plan in waves; no wave serves until the first advance.");
        group.MapPost("/{name}/checklist", Check).RequireRole(Role.Operator).WithName("CheckRolloutItem").WithSummary("Ticks (or unticks) a readiness item for a department, with a note as evidence.");
        group.MapPost("/{name}/advance", Advance).RequireRole(Role.Operator).WithName("AdvanceRollout")
            .WithSummary("Serves the next wave through the endpoint's department rules; 409 gates-failing names every failing gate (admins may override with a reason).");
        group.MapPost("/{name}/rollback", Rollback).RequireRole(Role.Operator).WithName("RollbackRollout").WithSummary("Takes the last served wave back.");
        return app;
    }

    private static async Task<Ok<RolloutView>> Show(string name, RolloutCatalog catalog, CancellationToken ct)
    {
        var plan = await catalog.GetAsync(name, ct);
        return TypedResults.Ok(new RolloutView(plan, await catalog.GatesAsync(plan, ct)));
    }

    private static async Task<Created<RolloutPlan>> Create(CreateRolloutRequest body, HttpContext http, RolloutOperations operations, CancellationToken ct)
    {
        var plan = await operations.CreateAsync(http.GetPrincipal(),
            new RolloutDraft(body.Name, body.UseCase, body.Endpoint, body.Version, body.Waves ?? [], body.Soak, body.Gates, body.Auto), ct);
        return TypedResults.Created($"/api/v1/rollouts/{plan.Name}", plan);
    }

    private static async Task<Ok<RolloutPlan>> Check(string name, ChecklistRequest body, HttpContext http, RolloutCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.CheckAsync(http.GetPrincipal(), name, body.Department, body.Item, body.Note, body.Undo, ct));

    private static async Task<Ok<RolloutStepView>> Advance(string name, AdvanceRequest? body, HttpContext http, RolloutOperations operations, CancellationToken ct)
    {
        var step = await operations.AdvanceAsync(http.GetPrincipal(), name, body?.Override, ct);
        return TypedResults.Ok(new RolloutStepView(step.After, step.Message, step.Gates));
    }

    private static async Task<Ok<RolloutStepView>> Rollback(string name, HttpContext http, RolloutOperations operations, CancellationToken ct)
    {
        var step = await operations.RollbackAsync(http.GetPrincipal(), name, ct);
        return TypedResults.Ok(new RolloutStepView(step.After, step.Message, null));
    }
}
