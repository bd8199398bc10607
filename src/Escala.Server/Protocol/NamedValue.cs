using Escala.Onnx.Tensors;

namespace Escala.Server.Protocol;

/// <summary>An output of a model run, ready to be written into a response.</summary>
public sealed record NamedValue(string Name, OnnxValue Value);
