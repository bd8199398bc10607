using Escala.Core.Access;
using Escala.Core.Audit;
using Escala.Core.Problems;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Audit;

/// <summary>The audit log over HTTP: <c>/api/v1/audit</c>.</summary>
public static class AuditApi
{
    /// <summary>The most records one page returns.</summary>
    public const int MaxPage = 1000;

    /// <summary>Maps the audit routes.</summary>
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/v1/audit").WithTags("Audit");
        audit.MapGet("/", List).RequireRole(Role.Approver)
            .WithName("ListAudit").WithSummary("Audit records after a sequence number (paged), optionally for subjects starting with a prefix.");
        audit.MapGet("/verify", Verify).RequireRole(Role.Approver)
            .WithName("VerifyAudit").WithSummary("Recomputes the hash chain, checks its end against the signed anchor kept outside the database, reconciles keys, stages and routes with their last audited state, and names what is broken.");
        audit.MapGet("/checkpoint", Checkpoint).RequireRole(Role.Approver)
            .WithName("AuditCheckpoint").WithSummary("The signed checkpoint of the chain's head (sequence, hash, HMAC-SHA256 under the anchor key kept outside the database), to keep elsewhere and compare later.");
        return app;
    }

    private static async Task<Ok<AuditRecord[]>> List(long? after, int? limit, string? subject, IAuditLog log, CancellationToken ct)
    {
        var size = limit ?? 100;
        if (size is < 1 or > MaxPage)
        {
            throw ProblemTypes.ValidationFailed.With($"The limit must be between 1 and {MaxPage}.");
        }

        return TypedResults.Ok((await log.ListAsync(after ?? 0, size, subject, ct)).ToArray());
    }

    private static async Task<Ok<AuditVerification>> Verify(AuditVerifier verifier, CancellationToken ct) =>
        TypedResults.Ok(await verifier.VerifyAsync(ct));

    private static Ok<AuditCheckpoint> Checkpoint(IAuditAnchor anchor)
    {
        var state = anchor.Read();
        return state.Checkpoint is { } checkpoint
            ? TypedResults.Ok(checkpoint)
            : throw ProblemTypes.Conflict.With($"There is no trustworthy checkpoint: {state.Problem ?? "nothing has been audited yet"}.");
    }
}
