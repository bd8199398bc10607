namespace Escala.Onnx;

/// <summary>One operator a model uses: how many nodes, whether the engine runs it, and why not when it does not.</summary>
/// <param name="Domain">The domain as shown (<c>ai.onnx</c> for the default domain).</param>
/// <param name="OpType">The operator.</param>
/// <param name="Opset">The opset the model imports for the domain (0 when it imports none).</param>
/// <param name="NodeCount">How many nodes use it.</param>
/// <param name="Supported">Whether the engine has a kernel for it at that opset.</param>
/// <param name="Reason">Why it is not supported, or null.</param>
/// <param name="FirstNode">The name of the first node using it (may be empty).</param>
public sealed record OnnxOperatorUse(string Domain, string OpType, long Opset, int NodeCount, bool Supported, string? Reason, string FirstNode)
{
    /// <summary>The qualified name, e.g. <c>ai.onnx.ml.TreeEnsembleClassifier</c> or <c>Gemm</c>.</summary>
    public string QualifiedName => Domain == "ai.onnx" ? OpType : $"{Domain}.{OpType}";
}
