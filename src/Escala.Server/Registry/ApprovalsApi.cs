using Escala.Core.Access;
using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Registry;

/// <summary>Four-eyes approval requests over HTTP: <c>/api/v1/approvals</c>.</summary>
public static class ApprovalsApi
{
    /// <summary>Maps the approval routes.</summary>
    public static IEndpointRouteBuilder MapApprovals(this IEndpointRouteBuilder app)
    {
        var approvals = app.MapGroup("/api/v1/approvals").WithTags("Approvals");
        approvals.MapGet("/", List).RequireRole(Role.Viewer)
            .WithName("ListApprovals").WithSummary("Approval requests, newest first; filter by status (pending, approved, rejected) and model.");
        approvals.MapGet("/{id:long}", Get).RequireRole(Role.Viewer)
            .WithName("GetApproval").WithSummary("One approval request.");
        approvals.MapPost("/{id:long}/approve", Approve).RequireRole(Role.Approver)
            .WithName("Approve").WithSummary("Approves a pending request (never with the requester's key) and applies its stage change.");
        approvals.MapPost("/{id:long}/reject", Reject).RequireRole(Role.Approver)
            .WithName("Reject").WithSummary("Rejects a pending request; the version keeps its stage.");
        return app;
    }

    private static async Task<Ok<ApprovalRequest[]>> List(string? status, string? model, Promotions promotions, CancellationToken ct)
    {
        ApprovalStatus? filter = status is null ? null
            : Enum.TryParse<ApprovalStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(status, out _)
                ? parsed
                : throw ProblemTypes.ValidationFailed.With($"'{Core.Naming.ResourceName.Printable(status)}' is not a status; use pending, approved or rejected.");
        return TypedResults.Ok((await promotions.ListAsync(filter, model, ct)).ToArray());
    }

    private static async Task<Ok<ApprovalRequest>> Get(long id, Promotions promotions, CancellationToken ct) =>
        TypedResults.Ok(await promotions.GetAsync(id, ct));

    private static async Task<Ok<ApprovalOutcomeResponse>> Approve(
        long id, DecisionRequest? body, HttpContext http, Promotions promotions, ModelRegistry registry, CancellationToken ct)
    {
        var (request, version) = await promotions.ApproveAsync(http.GetPrincipal(), id, body?.Comment, ct);
        var aliases = await registry.ListAliasesAsync(version.Model, ct);
        return TypedResults.Ok(new ApprovalOutcomeResponse(request, VersionResponse.From(version, aliases)));
    }

    private static async Task<Ok<ApprovalOutcomeResponse>> Reject(long id, DecisionRequest? body, HttpContext http, Promotions promotions, CancellationToken ct) =>
        TypedResults.Ok(new ApprovalOutcomeResponse(await promotions.RejectAsync(http.GetPrincipal(), id, body?.Comment, ct), null));
}
