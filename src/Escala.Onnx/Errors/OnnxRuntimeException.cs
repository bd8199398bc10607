namespace Escala.Onnx;

/// <summary>A node failed while running (e.g. shapes that do not broadcast); the message names the node and op.</summary>
public sealed class OnnxRuntimeException : OnnxException
{
    /// <summary>A failure in one node.</summary>
    public OnnxRuntimeException(string nodeName, string opType, string message, Exception? inner = null)
        : base($"Node {(string.IsNullOrEmpty(nodeName) ? "(unnamed)" : $"'{nodeName}'")} (op {opType}) failed: {message}", inner)
    {
        NodeName = nodeName;
        OpType = opType;
    }

    /// <summary>The node that failed.</summary>
    public string NodeName { get; }

    /// <summary>Its operator.</summary>
    public string OpType { get; }
}
