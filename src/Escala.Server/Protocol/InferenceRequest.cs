using Escala.Onnx.Tensors;

namespace Escala.Server.Protocol;

/// <summary>A parsed Open Inference Protocol v2 request: its id, the input tensors by name, and the outputs asked for.</summary>
public sealed record InferenceRequest(string? Id, IReadOnlyDictionary<string, OnnxValue> Inputs, IReadOnlyList<string>? RequestedOutputs);
