using System.Globalization;
using Escala.Core.Access;
using Escala.Core.Monitoring.Accuracy;
using Escala.Core.Problems;
using Escala.Server.Hosting;
using Escala.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Escala.Server.Monitoring.GroundTruth;

/// <summary>A batch of ground-truth labels: <c>{"labels": [{"requestId": "...", "label": 1, "row": 0}]}</c>.</summary>
/// <param name="Labels">The labels, each for a request id the prediction API returned.</param>
public sealed record FeedbackRequest(IReadOnlyList<FeedbackItem>? Labels);

/// <summary>
/// <c>POST /v1/endpoints/{endpoint}/feedback</c>: ground truth for earlier predictions, beside the prediction routes
/// (an application that asks for predictions reports the outcomes the same way). Each label is joined with the
/// prediction log by request id; the answer says how many were stored, replaced and refused, and why.
/// </summary>
public static class FeedbackApi
{
    /// <summary>Labels one request body may carry at most: 10,000 labels of a few hundred bytes.</summary>
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapFeedback(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/endpoints/{endpoint}/feedback", Post).RequireRole(Role.Viewer).WithTags("Monitoring")
            .WithBodySizeLimit(MaxBodyBytes)
            .WithName("PostFeedback")
            .WithSummary("Ground-truth labels for earlier predictions, by request id (any time later): {\"labels\": [{\"requestId\", \"label\", \"row\"?}]}. 200 with what was stored and refused; 400 when nothing could be stored.");
        return app;
    }

    private static async Task<JsonHttpResult<FeedbackResult>> Post(string endpoint, HttpContext http, FeedbackService feedback, CancellationToken ct)
    {
        var body = await MonitoringJson.ReadAsync<FeedbackRequest>(http.Request, "feedback", ct);
        var result = await feedback.SubmitAsync(http.GetPrincipal(), endpoint, body.Labels ?? [], ct);
        if (result.Accepted + result.Updated == 0)
        {
            // Nothing was stored: that is the caller's error to fix, said as a problem like any other.
            var reasons = string.Join("; ", result.Errors.Take(5).Select(e => string.Create(CultureInfo.InvariantCulture, $"label {e.Index}: {e.Reason}")));
            throw ProblemTypes.ValidationFailed.With(string.Create(CultureInfo.InvariantCulture,
                $"No label was stored: {result.Rejected} refused. {reasons}{(result.Rejected > 5 ? "; ..." : "")}"));
        }

        return TypedResults.Json(result, MonitoringJson.Options);
    }
}
