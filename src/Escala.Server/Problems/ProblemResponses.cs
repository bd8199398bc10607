using System.Diagnostics;
using Escala.Core.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Escala.Server.Problems;

/// <summary>Turns a <see cref="ProblemType"/> and a detail into an RFC 7807 response with Escala's stable type URI.</summary>
public static class ProblemResponses
{
    /// <summary>The problem details body for <paramref name="type"/>.</summary>
    public static ProblemDetails Details(ProblemType type, string detail, HttpContext? context = null, string? field = null)
    {
        var problem = new ProblemDetails
        {
            Type = type.Uri,
            Title = type.Title,
            Status = type.Status,
            Detail = PublicDetail.Of(detail),
            Instance = context is null ? null : $"{context.Request.Method} {context.Request.Path}",
        };
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }

        if (context is not null)
        {
            problem.Extensions["traceId"] = Activity.Current?.Id ?? context.TraceIdentifier;
        }

        return problem;
    }

    /// <summary>A result that writes the problem (for endpoints that answer with a problem as a value).</summary>
    public static ProblemHttpResult Result(ProblemType type, string detail) => TypedResults.Problem(Details(type, detail));

    /// <summary>Writes the problem of <paramref name="problem"/>, with its field and its <c>Retry-After</c> when it has them.</summary>
    public static Task WriteAsync(HttpContext context, ProblemException problem)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.RetryAfter is { } delay)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(Math.Max(1, delay.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WriteAsync(context, problem.Type, problem.Detail, problem.Field);
    }

    /// <summary>Writes the problem to the response; <paramref name="field"/> names the input at fault, if any.</summary>
    public static Task WriteAsync(HttpContext context, ProblemType type, string detail, string? field = null)
    {
        context.Response.StatusCode = type.Status;
        return TypedResults.Problem(Details(type, detail, context, field)).ExecuteAsync(context);
    }
}
