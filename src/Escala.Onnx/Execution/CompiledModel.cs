using Escala.Onnx.Graph;
using Escala.Onnx.Tensors;

namespace Escala.Onnx.Execution;

/// <summary>What compiling a model yields: the plan and the facts a session exposes.</summary>
internal sealed record CompiledModel(
    ExecutionPlan Plan,
    IReadOnlyList<OnnxValueInfo> Inputs,
    IReadOnlyList<OnnxValueInfo> Outputs,
    OpsetImports Opsets,
    IReadOnlyList<OnnxOperatorUse> Operators);
