using System.Text.Json;
using Escala.Core.Problems;
using Escala.Core.Routing;
using Escala.Onnx.Tensors;
using Escala.Server.Protocol;
using Microsoft.Extensions.Options;

namespace Escala.Server.Serving;

/// <summary>
/// Connects to external Open Inference Protocol v2 servers when a deploy names one: reads the
/// model's metadata (<c>GET /v2/models/{model}</c>: inputs and outputs with datatype and shape) and
/// checks it is ready (<c>/ready</c>), within <see cref="GatewayOptions.ExternalCheckTimeout"/>.
/// A backend that fails either check is not deployed.
/// </summary>
public sealed class ExternalBackends(IHttpClientFactory clients, IOptions<GatewayOptions> options, Microsoft.Extensions.Logging.ILogger<ExternalOipBackend> logger)
{
    /// <summary>The named HTTP client external backends use (pooled connections).</summary>
    public const string ClientName = "escala-external";

    /// <summary>Checks the server and returns a backend for <paramref name="target"/>; throws version-unavailable saying what failed.</summary>
    public async Task<IServingBackend> ConnectAsync(ExternalTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var http = clients.CreateClient(ClientName);
        var headers = options.Value.ExternalHeaders.TryGetValue(target.Name, out var configured)
            ? configured
            : new Dictionary<string, string>();
        var model = new Uri(ExternalOipBackend.Root(target), ExternalOipBackend.ModelPath(target));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ExternalCheckTimeout);
        try
        {
            var metadata = await GetJsonAsync(http, model, headers, options.Value.MaxExternalResponseBytes, timeout.Token).ConfigureAwait(false);
            using (var ready = await SendAsync(http, new Uri($"{model}/ready"), headers, timeout.Token).ConfigureAwait(false))
            {
                if (!ready.IsSuccessStatusCode)
                {
                    throw Unavailable(target, $"{OutboundUrls.Redact(model)}/ready answered {(int)ready.StatusCode}; the model is not ready");
                }
            }

            var inputs = Signature(metadata, "inputs", target);
            var outputs = Signature(metadata, "outputs", target);
            return new ExternalOipBackend(http, target, inputs, outputs, headers, options.Value.MaxExternalResponseBytes, logger);
        }
        catch (HttpRequestException e)
        {
            throw Unavailable(target, $"cannot reach {OutboundUrls.Redact(target.BaseUrl)}: {Core.Naming.TextSafety.Neutralise(e.Message)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(target, $"{OutboundUrls.Redact(model)} did not answer within {options.Value.ExternalCheckTimeout.TotalSeconds:0.#} s");
        }
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, Uri url, IReadOnlyDictionary<string, string> headers, long maxBytes, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(http, url, headers, cancellationToken).ConfigureAwait(false);
        var body = await OutboundUrls.ReadBoundedAsync(response.Content, maxBytes, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException($"GET {OutboundUrls.Redact(url)} answered more than {maxBytes} bytes");
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {OutboundUrls.Redact(url)} answered {(int)response.StatusCode}");
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new HttpRequestException($"GET {OutboundUrls.Redact(url)} did not answer JSON model metadata ({e.Message})");
        }
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, Uri url, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    // The metadata's inputs or outputs as a signature: datatype -> element type, -1 -> a dynamic dimension.
    private static OnnxValueInfo[] Signature(JsonElement metadata, string member, ExternalTarget target)
    {
        if (metadata.ValueKind != JsonValueKind.Object || !metadata.TryGetProperty(member, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw Unavailable(target, $"its model metadata has no '{member}' list");
        }

        var result = new List<OnnxValueInfo>();
        foreach (var item in list.EnumerateArray())
        {
            var name = item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : throw Unavailable(target, $"an entry of '{member}' has no name");
            var datatype = item.TryGetProperty("datatype", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            if (datatype == OipDatatype.SequenceOfMaps)
            {
                result.Add(new OnnxValueInfo(name, OnnxTypeInfo.SequenceOfMaps(ElementType.Int64)));
                continue;
            }

            var type = datatype is null ? null : OipDatatype.ToElementType(datatype);
            if (type is null)
            {
                throw Unavailable(target, $"{member} '{name}' declares datatype '{datatype}', which Escala does not know; the metadata must give each input and output a v2 datatype");
            }

            OnnxDim[]? dims = null;
            if (item.TryGetProperty("shape", out var shape) && shape.ValueKind == JsonValueKind.Array)
            {
                dims = [.. shape.EnumerateArray().Select((s, i) => s.TryGetInt64(out var v) && v >= 0 ? new OnnxDim(v) : new OnnxDim(i == 0 ? "N" : null))];
            }

            result.Add(new OnnxValueInfo(name, OnnxTypeInfo.Tensor(type.Value, dims)));
        }

        return [.. result];
    }

    private static ProblemException Unavailable(ExternalTarget target, string why) =>
        ProblemTypes.VersionUnavailable.With($"The external backend '{target.Name}' cannot be served: {why}.");
}
