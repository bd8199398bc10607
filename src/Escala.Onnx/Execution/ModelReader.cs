using Escala.Onnx.Graph;
using Escala.Onnx.Protobuf;

namespace Escala.Onnx.Execution;

/// <summary>Parses model bytes and checks the few facts every ONNX model must have, with messages a user can act on.</summary>
internal static class ModelReader
{
    public static ModelProto Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw new OnnxModelException("The model file is empty.");
        }

        ModelProto model;
        try
        {
            model = ModelProto.Parse(bytes);
        }
        catch (ProtoFormatException e)
        {
            throw new OnnxModelException($"The file is not a valid ONNX model: {e.Message}", e);
        }

        if (model.IrVersion <= 0)
        {
            throw new OnnxModelException("The file is not an ONNX model: it has no ir_version (is it a different format?).");
        }

        if (model.Graph is null)
        {
            throw new OnnxModelException("The file is not a usable ONNX model: it has no graph.");
        }

        return model;
    }

    /// <summary>Every (domain, op) the main graph uses, in first-use order, with whether the registry can run it.</summary>
    public static IReadOnlyList<OnnxOperatorUse> Operators(ModelProto model, OpsetImports opsets, KernelRegistry registry)
    {
        var uses = new List<OnnxOperatorUse>();
        var index = new Dictionary<(string, string), int>();
        foreach (var node in model.Graph?.Node ?? [])
        {
            var domain = OpsetDomains.Normalize(node.Domain);
            if (index.TryGetValue((domain, node.OpType), out var at))
            {
                uses[at] = uses[at] with { NodeCount = uses[at].NodeCount + 1 };
                continue;
            }

            index[(domain, node.OpType)] = uses.Count;
            var opset = opsets.VersionOf(domain);
            string? reason;
            if (opset is null)
            {
                reason = $"the model does not import an opset for domain '{OpsetDomains.Display(domain)}'";
            }
            else if (model.Functions.Exists(f => OpsetDomains.Normalize(f.Domain) == domain && f.Name == node.OpType))
            {
                reason = "it is a model-local function, which the engine does not expand";
            }
            else
            {
                reason = registry.Resolve(domain, node.OpType, opset.Value).Reason;
            }

            uses.Add(new OnnxOperatorUse(OpsetDomains.Display(domain), node.OpType, opset ?? 0, 1, reason is null, reason, node.Name));
        }

        return uses;
    }
}
