using Escala.Core.Problems;
using Escala.Core.Registry;
using Escala.Onnx.Inspection;
using Escala.Onnx.Tensors;

namespace Escala.Server.Registry;

/// <summary>
/// Inspects an upload with the inference engine before it is stored: bytes that are not ONNX are an
/// invalid-model problem; a model the engine cannot compile (an unsupported op, domain, opset or
/// type, or a malformed graph) is an unsupported-model problem naming the node, op, domain and opset,
/// and every unsupported operator in the file. A model that compiles is recorded with its signature.
/// </summary>
public sealed class EngineModelInspector : IModelInspector
{
    /// <inheritdoc/>
    public Core.Registry.ModelInspection Inspect(ReadOnlyMemory<byte> model)
    {
        var inspection = OnnxModelInspector.Inspect(model.Span);
        if (!inspection.IsOnnx)
        {
            throw ProblemTypes.InvalidModel.With($"The file is not an ONNX model: {inspection.Error}");
        }

        if (!inspection.CanRun)
        {
            var unsupported = inspection.Operators.Where(o => !o.Supported).ToList();
            var listed = unsupported.Count == 0
                ? ""
                : " Unsupported operators: " + string.Join("; ", unsupported.Select(o =>
                    $"{o.QualifiedName} (domain {o.Domain}, opset {o.Opset}, {o.NodeCount} node(s), first '{o.FirstNode}'{(o.Reason is null ? "" : ": " + o.Reason)})")) + ".";
            throw ProblemTypes.UnsupportedModel.With($"Escala's engine cannot run this model: {inspection.Error}{listed}");
        }

        var signature = new ModelSignature(
            [.. inspection.Inputs.Select(Spec)],
            [.. inspection.Outputs.Select(Spec)],
            new Dictionary<string, long>(inspection.Opsets, StringComparer.Ordinal),
            inspection.ProducerName.Length == 0 ? null : inspection.ProducerName);
        return new Core.Registry.ModelInspection(signature, Runnable: true);
    }

    private static TensorSpec Spec(OnnxValueInfo value) => value.Type.Kind == OnnxTypeKind.Tensor
        ? new TensorSpec(value.Name, ElementTypes.Name(value.Type.ElementType), value.Type.Shape?.Select(d => d.ToString()).ToArray())
        : new TensorSpec(value.Name, value.Type.ToString(), null);
}
