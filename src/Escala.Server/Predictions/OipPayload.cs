using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Escala.Onnx.Tensors;
using Escala.Server.Protocol;
using Escala.Server.Serving;

namespace Escala.Server.Predictions;

/// <summary>
/// An Open Inference Protocol v2 request, parsed once by the protocol codec into tensors and checked
/// against the signature of each target the fallback chain tries (a cheap check, no second parse).
/// </summary>
public sealed class OipPayload : IPredictionPayload
{
    private readonly InferenceRequest _request;
    private IReadOnlyList<OnnxValueInfo>? _checkedFor;

    private OipPayload(InferenceRequest request, byte[] body)
    {
        _request = request;
        Body = body;
        Rows = request.Inputs.Values.OfType<OnnxTensor>().Select(t => t.Rank == 0 ? 1 : t.Dim(0)).DefaultIfEmpty(1).First();
    }

    /// <summary>The body as received (logged as the request's inputs).</summary>
    public byte[] Body { get; }

    /// <summary>The caller's request id, echoed in the answer.</summary>
    public string? Id => _request.Id;

    /// <summary>The outputs the caller asked for (null: all).</summary>
    public IReadOnlyList<string>? RequestedOutputs => _request.RequestedOutputs;

    /// <inheritdoc/>
    public int Rows { get; }

    /// <summary>Parses the body; throws <see cref="InferenceProtocolException"/> naming the input at fault.</summary>
    public static OipPayload Parse(byte[] body) => new(InferenceRequestReader.Read(body), body);

    /// <inheritdoc/>
    public bool TryDecode(
        IReadOnlyList<OnnxValueInfo> signature,
        [NotNullWhen(true)] out IReadOnlyDictionary<string, OnnxValue>? inputs,
        [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (!ReferenceEquals(signature, _checkedFor))
        {
            try
            {
                SignatureCheck.Check(_request.Inputs, signature);
            }
            catch (InferenceProtocolException e)
            {
                inputs = null;
                problem = e.Message;
                return false;
            }

            _checkedFor = signature;
        }

        inputs = _request.Inputs;
        problem = null;
        return true;
    }

    /// <summary>
    /// The value of <c>parameters.{field}</c> at the top level of an OIP body (a string or a number),
    /// for sticky A/B assignment when no <c>X-Escala-Subject</c> header is sent. Read only when needed.
    /// </summary>
    public static string? ParameterOf(byte[] body, string field)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 32 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isParameters = reader.ValueTextEquals("parameters"u8);
                reader.Read();
                if (!isParameters || reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var match = reader.ValueTextEquals(field);
                    reader.Read();
                    if (match && reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
                    {
                        return reader.TokenType == JsonTokenType.String ? reader.GetString() : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
                    }

                    reader.Skip();
                }

                return null;
            }
        }
        catch (JsonException)
        {
            // The codec reports a malformed body with the input named; here it only means "no subject".
        }

        return null;
    }
}
