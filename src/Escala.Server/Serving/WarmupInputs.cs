using Escala.Onnx.Tensors;

namespace Escala.Server.Serving;

/// <summary>
/// Synthetic inputs of a model's declared signature (zeros, empty strings, false; symbolic dims set
/// to the row count) used to run a freshly loaded version once before it takes traffic, so the
/// first real request does not pay for lazy initialisation and JIT compilation.
/// </summary>
public static class WarmupInputs
{
    /// <summary>Inputs for <paramref name="signature"/>, or null when one of them has a type that cannot be synthesised.</summary>
    public static Dictionary<string, OnnxValue>? For(IReadOnlyList<OnnxValueInfo> signature, int rows)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var inputs = new Dictionary<string, OnnxValue>(signature.Count, StringComparer.Ordinal);
        foreach (var input in signature)
        {
            if (input.Type.Kind != OnnxTypeKind.Tensor)
            {
                return null;
            }

            var dims = input.Type.Shape;
            var shape = dims is null ? [rows, 1] : dims.Select((d, i) => d.Value is { } v ? (int)v : (i == 0 ? rows : 1)).ToArray();
            OnnxValue? value = input.Type.ElementType switch
            {
                ElementType.Float => OnnxTensor<float>.Zeros(shape),
                ElementType.Double => OnnxTensor<double>.Zeros(shape),
                ElementType.Int64 => OnnxTensor<long>.Zeros(shape),
                ElementType.Int32 => OnnxTensor<int>.Zeros(shape),
                ElementType.Bool => OnnxTensor<bool>.Zeros(shape),
                ElementType.String => new OnnxTensor<string>(Enumerable.Repeat(string.Empty, TensorShape.Size(shape)).ToArray(), shape),
                _ => null,
            };
            if (value is null)
            {
                return null;
            }

            inputs[input.Name] = value;
        }

        return inputs;
    }
}
