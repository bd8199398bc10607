using System.Net;
using Escala.Core.Routing;
using Escala.Onnx.Tensors;
using Escala.Server.Protocol;
using Microsoft.Extensions.Logging;

namespace Escala.Server.Serving;

/// <summary>
/// A model served by another process that speaks Open Inference Protocol v2 over HTTP. Requests are
/// encoded with the protocol codec and posted to <c>/v2/models/{model}[/versions/{v}]/infer</c>; the
/// answer is decoded back into values, so routing, the breaker, the deadline, the fallback chain,
/// the log and the observers treat it exactly like a local version. The deadline cancels the HTTP
/// call. A 4xx answer is the request's fault (invalid input); 5xx, refused connections and
/// unreadable answers are the backend's (errors that count against its breaker). A backend's error body is
/// never passed to callers (it may hold anything: a stack trace, a connection string); it is logged, bounded and
/// neutralised, and callers see the status code. Answers larger than <c>maxResponseBytes</c> are refused.
/// </summary>
public sealed partial class ExternalOipBackend(
    HttpClient http,
    ExternalTarget target,
    IReadOnlyList<OnnxValueInfo> inputs,
    IReadOnlyList<OnnxValueInfo> outputs,
    IReadOnlyDictionary<string, string> headers,
    long maxResponseBytes,
    ILogger logger) : IServingBackend
{
    /// <summary>How much of a backend's error body is logged.</summary>
    public const int LoggedBodyBytes = 1024;

    private readonly Uri _infer = new(Root(target), $"{ModelPath(target)}/infer");

    /// <inheritdoc/>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; } = inputs;

    /// <inheritdoc/>
    public IReadOnlyList<OnnxValueInfo> Outputs { get; } = outputs;

    /// <inheritdoc/>
    public bool IsAvailable => true;

    /// <inheritdoc/>
    public string Description => $"external: {OutboundUrls.Redact(_infer)}";

    /// <summary>The server's root with a trailing slash, so relative paths keep any prefix (<c>http://host/triton/</c>).</summary>
    public static Uri Root(ExternalTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var text = target.BaseUrl.AbsoluteUri;
        return text.EndsWith('/') ? target.BaseUrl : new Uri(text + "/");
    }

    /// <summary>The model's path on the server: <c>v2/models/{model}</c> or <c>v2/models/{model}/versions/{v}</c>.</summary>
    public static string ModelPath(ExternalTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var path = $"v2/models/{Uri.EscapeDataString(target.RemoteModel)}";
        return target.RemoteVersion is null ? path : $"{path}/versions/{Uri.EscapeDataString(target.RemoteVersion)}";
    }

    /// <inheritdoc/>
    public async ValueTask<Attempt<IReadOnlyDictionary<string, OnnxValue>>> InferAsync(IReadOnlyDictionary<string, OnnxValue> inputs, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _infer) { Content = new ByteArrayContent(InferenceRequestWriter.ToBytes(inputs)) };
        request.Content.Headers.ContentType = new("application/json");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            LogUnreachable(logger, target.Name, e.Message);
            return Failed(AttemptFailure.Error, $"cannot reach the external backend '{target.Name}'");
        }

        using (response)
        {
            var body = await OutboundUrls.ReadBoundedAsync(response.Content, maxResponseBytes, cancellationToken).ConfigureAwait(false);
            if (body is null)
            {
                LogTooLarge(logger, target.Name, maxResponseBytes);
                return Failed(AttemptFailure.Error, $"the external backend '{target.Name}' answered more than {maxResponseBytes} bytes");
            }

            if ((int)response.StatusCode is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
            {
                LogRefused(logger, target.Name, (int)response.StatusCode, OutboundUrls.LoggableBody(body, LoggedBodyBytes));
                return Failed(AttemptFailure.InvalidInput, $"the external backend '{target.Name}' refused the inputs ({(int)response.StatusCode}); its answer is in the server log");
            }

            if (!response.IsSuccessStatusCode)
            {
                LogRefused(logger, target.Name, (int)response.StatusCode, OutboundUrls.LoggableBody(body, LoggedBodyBytes));
                return Failed(AttemptFailure.Error, $"the external backend '{target.Name}' answered {(int)response.StatusCode}");
            }

            try
            {
                var answer = InferenceResponseReader.Read(body);
                var values = new Dictionary<string, OnnxValue>(answer.Outputs.Count, StringComparer.Ordinal);
                foreach (var output in answer.Outputs)
                {
                    values[output.Name] = output.Value;
                }

                return Attempt<IReadOnlyDictionary<string, OnnxValue>>.Answered(values);
            }
            catch (InferenceProtocolException e)
            {
                return Failed(AttemptFailure.Error, $"the backend's answer is not a valid v2 response: {e.Message}");
            }
        }
    }

    private static Attempt<IReadOnlyDictionary<string, OnnxValue>> Failed(AttemptFailure failure, string detail) =>
        Attempt<IReadOnlyDictionary<string, OnnxValue>>.Failed(failure, detail);

    [LoggerMessage(EventId = 3060, Level = LogLevel.Warning, Message = "External backend {Backend} answered {Status}: {Body}")]
    private static partial void LogRefused(ILogger logger, string backend, int status, string body);

    [LoggerMessage(EventId = 3061, Level = LogLevel.Warning, Message = "External backend {Backend} cannot be reached: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string backend, string reason);

    [LoggerMessage(EventId = 3062, Level = LogLevel.Warning, Message = "External backend {Backend} answered more than {Limit} bytes; the answer was refused")]
    private static partial void LogTooLarge(ILogger logger, string backend, long limit);
}
