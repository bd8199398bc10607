namespace Escala.Onnx.Explaining;

/// <summary>An explanation that cannot be given as asked (no background for an interventional method, a method that does not apply).</summary>
public sealed class ExplanationException(string message) : Exception(message);
