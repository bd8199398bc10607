using System.Net;
using System.Text.Json;
using Escala.Core.Routing;
using Escala.Onnx.Tensors;
using Escala.Server.Protocol;

namespace Escala.Server.Serving;

/// <summary>
/// A model served by another process that speaks Open Inference Protocol v2 over HTTP. Requests are
/// encoded with the protocol codec and posted to <c>/v2/models/{model}[/versions/{v}]/infer</c>; the
/// answer is decoded back into values, so routing, the breaker, the deadline, the fallback chain,
/// the log and the observers treat it exactly like a local version. The deadline cancels the HTTP
/// call. A 4xx answer is the request's fault (invalid input); 5xx, refused connections and
/// unreadable answers are the backend's (errors that count against its breaker).
/// </summary>
public sealed class ExternalOipBackend(HttpClient http, ExternalTarget target, IReadOnlyList<OnnxValueInfo> inputs, IReadOnlyList<OnnxValueInfo> outputs, IReadOnlyDictionary<string, string> headers) : IServingBackend
{
    private readonly Uri _infer = new(Root(target), $"{ModelPath(target)}/infer");

    /// <inheritdoc/>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; } = inputs;

    /// <inheritdoc/>
    public IReadOnlyList<OnnxValueInfo> Outputs { get; } = outputs;

    /// <inheritdoc/>
    public bool IsAvailable => true;

    /// <inheritdoc/>
    public string Description => $"external: {_infer}";

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
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return Failed(AttemptFailure.Error, $"cannot reach {_infer.GetLeftPart(UriPartial.Authority)}: {e.Message}");
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if ((int)response.StatusCode is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
            {
                return Failed(AttemptFailure.InvalidInput, $"the backend refused the inputs ({(int)response.StatusCode}): {Detail(body)}");
            }

            if (!response.IsSuccessStatusCode)
            {
                return Failed(AttemptFailure.Error, $"the backend answered {(int)response.StatusCode}: {Detail(body)}");
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

    // The backend's own message when it sent problem details or {"error": ...}, else the start of the body.
    private static string Detail(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            foreach (var field in new[] { "detail", "error", "title" })
            {
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
        }

        var text = System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 200)));
        return text.Length == 0 ? "(empty body)" : text;
    }
}
