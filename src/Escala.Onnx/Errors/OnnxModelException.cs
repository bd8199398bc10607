namespace Escala.Onnx;

/// <summary>
/// A model cannot be loaded: not an ONNX file, malformed or hostile, or using an operator, type or
/// opset the engine does not support. The message names the node, op, domain and opset when one is at fault.
/// </summary>
public sealed class OnnxModelException : OnnxException
{
    /// <summary>A model-level error (no particular node).</summary>
    public OnnxModelException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    private OnnxModelException(string message, string nodeName, string opType, string domain, long? opset)
        : base(message)
    {
        NodeName = nodeName;
        OpType = opType;
        Domain = domain;
        Opset = opset;
    }

    /// <summary>The node at fault, or null.</summary>
    public string? NodeName { get; }

    /// <summary>The operator at fault, or null.</summary>
    public string? OpType { get; }

    /// <summary>The operator's domain (<c>ai.onnx</c> for the default domain), or null.</summary>
    public string? Domain { get; }

    /// <summary>The opset the model imports for that domain, or null.</summary>
    public long? Opset { get; }

    /// <summary>An error about one node, formatted as <c>node 'n' (Gemm, ai.onnx opset 13): reason</c>.</summary>
    public static OnnxModelException ForNode(string nodeName, string opType, string domain, long? opset, string reason)
    {
        var shownDomain = OpsetDomains.Display(domain);
        var where = opset is null ? shownDomain : $"{shownDomain} opset {opset}";
        var name = string.IsNullOrEmpty(nodeName) ? "(unnamed)" : $"'{nodeName}'";
        return new OnnxModelException($"Node {name} (op {opType}, domain {where}): {reason}", nodeName, opType, shownDomain, opset);
    }
}
