using Escala.Onnx.Tensors;

namespace Escala.Server.Protocol;

/// <summary>Checks parsed inputs against a model's signature: names, datatypes, ranks and fixed dims.</summary>
internal static class SignatureCheck
{
    public static void Check(IReadOnlyDictionary<string, OnnxValue> inputs, IReadOnlyList<OnnxValueInfo> signature)
    {
        foreach (var name in inputs.Keys)
        {
            if (!signature.Any(s => s.Name == name))
            {
                throw new InferenceProtocolException(
                    ProtocolErrorKind.UnknownInput,
                    name,
                    $"The model has no input '{name}' (its inputs: {string.Join(", ", signature.Select(s => s.Name))}).");
            }
        }

        foreach (var expected in signature)
        {
            if (!inputs.TryGetValue(expected.Name, out var value))
            {
                throw new InferenceProtocolException(ProtocolErrorKind.MissingInput, expected.Name, $"Input '{expected.Name}' ({Describe(expected.Type)}) is missing.");
            }

            if (value is not OnnxTensor tensor || expected.Type.Kind != OnnxTypeKind.Tensor)
            {
                continue;
            }

            if (tensor.ElementType != expected.Type.ElementType)
            {
                throw new InferenceProtocolException(
                    ProtocolErrorKind.DatatypeMismatch,
                    expected.Name,
                    $"Input '{expected.Name}' has datatype {OipDatatype.FromElementType(tensor.ElementType)}; the model expects {Describe(expected.Type)}.");
            }

            if (expected.Type.Shape is not { } dims)
            {
                continue;
            }

            var fits = dims.Count == tensor.Rank;
            for (var d = 0; fits && d < dims.Count; d++)
            {
                fits = dims[d].Value is not { } fixedSize || fixedSize == tensor.Shape[d];
            }

            if (!fits)
            {
                throw new InferenceProtocolException(
                    ProtocolErrorKind.ShapeNotAccepted,
                    expected.Name,
                    $"Input '{expected.Name}' has shape [{TensorShape.Format(tensor.Shape)}]; the model expects {Describe(expected.Type)}.");
            }
        }
    }

    private static string Describe(OnnxTypeInfo type) => type.Kind == OnnxTypeKind.Tensor && ElementTypes.IsSupported(type.ElementType)
        ? $"{OipDatatype.FromElementType(type.ElementType)} [{(type.Shape is null ? "any shape" : string.Join(',', type.Shape))}]"
        : type.ToString();
}
