using System.Diagnostics.CodeAnalysis;
using Escala.Onnx.Tensors;

namespace Escala.Server.Serving;

/// <summary>
/// A request's inputs as they arrived (an Open Inference Protocol body, or records), decoded on
/// demand against the signature of whichever target the chain tries, so a fallback version with
/// another signature still gets inputs it can run.
/// </summary>
public interface IPredictionPayload
{
    /// <summary>The number of rows (records, or the first dimension of the inputs).</summary>
    int Rows { get; }

    /// <summary>Decodes the inputs for <paramref name="signature"/>; false with a message naming the input or field that does not fit.</summary>
    bool TryDecode(
        IReadOnlyList<OnnxValueInfo> signature,
        [NotNullWhen(true)] out IReadOnlyDictionary<string, OnnxValue>? inputs,
        [NotNullWhen(false)] out string? problem);
}
