using Escala.Core.Problems;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Problems;

/// <summary>
/// The last line of defence: every exception leaving an endpoint becomes problem details. Expected
/// failures (<see cref="ProblemException"/>, malformed or oversized bodies) keep their type and
/// message; anything else is logged with its stack trace and answered as internal-error with only
/// a trace id, so no internals ever reach a caller.
/// </summary>
public sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc/>
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            LogAfterStart(logger, exception, context.Request.Path);
            return false;
        }

        var (type, detail) = exception switch
        {
            ProblemException problem => (problem.Type, problem.Detail),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (ProblemTypes.PayloadTooLarge, "The request body is larger than this route accepts."),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } bad =>
                (ProblemTypes.UnsupportedMediaType, bad.Message),
            BadHttpRequestException bad => (ProblemTypes.ValidationFailed, Describe(bad)),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested =>
                (ProblemTypes.ValidationFailed, "The request was cancelled by the client."),
            _ => (ProblemTypes.Internal, ""),
        };

        if (type == ProblemTypes.Internal)
        {
            LogUnexpected(logger, exception, context.Request.Method, context.Request.Path, context.TraceIdentifier);
            detail = $"An unexpected error occurred; the server log has the details under trace id {context.TraceIdentifier}.";
        }

        if (exception is ProblemException { RetryAfter: not null } retryable)
        {
            await ProblemResponses.WriteAsync(context, retryable);
            return true;
        }

        await ProblemResponses.WriteAsync(context, type, detail, (exception as ProblemException)?.Field);
        return true;
    }

    // Binding failures wrap the parser's message (e.g. where the JSON broke), which is safe and useful to show.
    private static string Describe(BadHttpRequestException bad) =>
        bad.InnerException is System.Text.Json.JsonException json ? $"{bad.Message} {json.Message}" : bad.Message;

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unexpected error on {Method} {Path} (trace id {TraceId})")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, PathString path, string traceId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Error after the response started on {Path}; the connection is aborted")]
    private static partial void LogAfterStart(ILogger logger, Exception exception, PathString path);
}
